/**
 * pytest references in the catalog, through the real CLI and without a
 * stack: validation of every pytest-related code (the test files are read as
 * text, never imported), the config file and the baseline file, and
 * selection (`list`) over a catalog that mixes both kinds of test.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { capability, PACKAGE_ROOT, writeTree, type Tree } from './helpers/catalog-fixture.ts';
import { runCli } from './helpers/cli.ts';

const FIXTURE = join(PACKAGE_ROOT, 'test/fixtures/pytest-catalog');
const cleanups: (() => Promise<void>)[] = [];
after(() => Promise.all(cleanups.map((cleanup) => cleanup())));

interface Issue {
  readonly code: string;
  readonly severity: string;
  readonly file: string;
  readonly line: number;
  readonly message: string;
  readonly hint: string;
}

async function validate(tree: Tree, extra: readonly string[] = []): Promise<{ code: number | null; issues: Issue[] }> {
  const { root, remove } = await writeTree(tree);
  cleanups.push(remove);
  const result = await runCli([
    'validate',
    '--root',
    root,
    '--format',
    'json',
    ...extra.map((arg) => arg.replace('<root>', root)),
  ]);
  return { code: result.code, issues: (JSON.parse(result.stdout) as { issues: Issue[] }).issues };
}

const where = (issues: readonly Issue[]) =>
  issues.map((item) => `${item.severity} ${item.code} ${item.file}:${item.line}`).sort();

const OPERATOR = 'plan/capabilities/operator/OPERATOR-001-bootstrap.md';

function brokenTree(): Tree {
  const refs = [
    'tests/py/test_a.py::test_one',
    'tests/py/test_missing.py::test_x',
    'tests/py/test_a.py::test_onee',
    'tests/py/Test_A.py::test_one',
    'tests/py/test_a.py::helper',
    'tests/py/test_a.py::test one',
    'tests/py/test_b.py::test_marked_other',
    'tests/py/test_c.py::test_module_marked',
  ];
  return {
    'code/hub.ts': 'export {};\n',
    [OPERATOR]: capability({ id: 'OPERATOR-001', domain: 'operator', testRefs: refs, codeRefs: ['code/hub.ts'] }),
    'plan/capabilities/auth/AUTH-001-login.md': capability({
      id: 'AUTH-001',
      domain: 'auth',
      testRefs: ['tests/py/test_b.py::TestThing::test_in_class'],
      codeRefs: ['code/hub.ts'],
    }),
    'tests/py/conftest.py': 'import pytest\n',
    'tests/py/test_a.py': [
      '"""Docstring that mentions',
      'def test_in_a_docstring(): pass',
      '"""',
      'import pytest',
      '',
      'pytestmark = [',
      '    pytest.mark.capability("OPERATOR-001"),',
      ']',
      '',
      'def helper():',
      '    pass',
      '',
      'def test_one():',
      '    def test_nested():',
      '        pass',
      '',
      'async def test_two():',
      '    pass',
      '# def test_commented(): pass',
      '',
    ].join('\n'),
    'tests/py/test_b.py': [
      'import pytest',
      '',
      '@pytest.mark.capability("AUTH-001")',
      'def test_marked_other():',
      '    pass',
      '',
      '',
      '@pytest.mark.capability("AUTH-001")',
      'class TestThing:',
      '    def test_in_class(self):',
      '        pass',
      '',
    ].join('\n'),
    'tests/py/test_c.py': [
      'import pytest',
      '',
      'def test_module_marked():',
      '    pass',
      '',
      'pytestmark = pytest.mark.capability("AUTH-001")',
      '',
    ].join('\n'),
    'tests/py/test_d.py': 'def test_contract():\n    assert True\n',
    'santokit-it.config.json': '{\n  "pytest": {\n    "command": "python3 -m pytest",\n    "fixtur": "env"\n  }\n}\n',
    'baseline.yaml': [
      'tests/py/test_a.py::test_nope:',
      '  expect: fail',
      '  reason: gone',
      'AUTH-999:',
      '  expect: fail',
      '  reason: no such capability',
      'OPERATOR-001:',
      '  expect: maybe',
      '  reason: not an outcome',
      'tests/py/test_a.py::test_one:',
      '  expect: fail',
      'AUTH-001:',
      '  expect: skip',
      '  reason: a valid entry',
      '',
    ].join('\n'),
    'broken.yaml': 'a: [\n',
  };
}

describe('validate: pytest references read as text', () => {
  it('reports every pytest problem with its code, file, line and hint; the config and the baseline too', async () => {
    const { code, issues } = await validate(brokenTree(), ['--expectations', '<root>/baseline.yaml']);
    assert.equal(code, 2);
    assert.deepEqual(where(issues), [
      'error CONFIG_INVALID santokit-it.config.json:4',
      'error EXPECTATION_FORMAT baseline.yaml:10',
      'error EXPECTATION_FORMAT baseline.yaml:7',
      'error EXPECTATION_UNKNOWN baseline.yaml:1',
      'error EXPECTATION_UNKNOWN baseline.yaml:4',
      `error REF_CASE_MISMATCH ${OPERATOR}:12`,
      `error SCENARIO_CAPABILITY_MISMATCH ${OPERATOR}:15`,
      `error SCENARIO_CAPABILITY_MISMATCH ${OPERATOR}:16`,
      'error SCENARIO_ORPHAN tests/py/test_a.py:17',
      `error TEST_FILE_MISSING ${OPERATOR}:10`,
      `error TEST_FUNCTION_MISSING ${OPERATOR}:11`,
      `error TEST_FUNCTION_MISSING ${OPERATOR}:13`,
      `error TEST_NODEID_INVALID ${OPERATOR}:14`,
      'warning SCENARIO_ORPHAN tests/py/test_d.py:1',
    ]);
    const byLine = (line: number) => issues.find((item) => item.file === OPERATOR && item.line === line);
    assert.match(byLine(11)?.hint ?? '', /Did you mean 'test_one'/);
    assert.match(byLine(13)?.message ?? '', /'helper' .* is not a test pytest collects/);
    assert.match(byLine(15)?.message ?? '', /marked capability AUTH-001 but is referenced from OPERATOR-001/);
    assert.match(
      issues.find((item) => item.code === 'EXPECTATION_UNKNOWN' && item.line === 1)?.hint ?? '',
      /Did you mean 'tests\/py\/test_a\.py::test_one'/,
    );
    assert.match(issues.find((item) => item.code === 'CONFIG_INVALID')?.message ?? '', /pytest\.fixtur: unknown field/);
  });

  it('an expectations file that is not YAML is a PARSE_ERROR at its line; a missing one is exit 2 with a hint', async () => {
    const { issues } = await validate(brokenTree(), ['--expectations', '<root>/broken.yaml']);
    assert.ok(where(issues).includes('error PARSE_ERROR broken.yaml:2'), where(issues).join('\n'));
    const missing = await runCli(['validate', '--root', FIXTURE, '--expectations', '/no/such/baseline.yaml']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no expectations file '\/no\/such\/baseline\.yaml'/);
  });

  it('the fixture catalog is valid: its one test without a capability is a warning', async () => {
    const result = await runCli(['validate', '--root', FIXTURE, '--format', 'json']);
    assert.equal(result.code, 0, result.stdout);
    const report = JSON.parse(result.stdout) as { issues: Issue[]; summary: { scenarios: number } };
    assert.deepEqual(where(report.issues), ['warning SCENARIO_ORPHAN tests/py/tests/spec/test_contract.py:6']);
    assert.equal(report.summary.scenarios, 10);
  });
});

describe('list: one selection over both kinds of test', () => {
  const list = async (...args: string[]) => {
    const result = await runCli(['list', '--root', FIXTURE, '--format', 'json', ...args]);
    assert.equal(result.code, 0, result.stderr);
    return (JSON.parse(result.stdout) as { scenarios: { id: string }[] }).scenarios.map((scenario) => scenario.id);
  };

  it('filters, paths, node ids, grep and shards work on pytest tests and scenarios alike', async () => {
    assert.deepEqual(await list('--capability', 'OPERATOR-001'), [
      'src/scenarios/operator/operator-001-bootstrap.ts::the hub answers its health check',
      'tests/py/tests/test_operator.py::test_project_bootstrap',
    ]);
    assert.deepEqual(await list('tests/py/tests/test_cases.py::test_health_path'), [
      'tests/py/tests/test_cases.py::test_health_path[hub]',
      'tests/py/tests/test_cases.py::test_health_path[bridge]',
    ]);
    assert.deepEqual(await list('--domain', 'auth'), [
      'tests/py/tests/test_auth.py::TestOperatorLogin::test_login_gives_a_token',
    ]);
    assert.deepEqual((await list('--from-plan', '--grep', 'teapot|health check')).sort(), [
      'src/scenarios/operator/operator-001-bootstrap.ts::the hub answers its health check',
      'tests/py/tests/test_fail.py::test_answer_is_a_teapot',
    ]);
    assert.deepEqual(await list('tests/py/tests/spec'), [
      'tests/py/tests/spec/test_contract.py::test_unknown_route_has_an_error_envelope',
    ]);
    const all = await list('--from-plan');
    assert.equal(all.length, 9);
    const shards = [await list('--from-plan', '--shard', '1/2'), await list('--from-plan', '--shard', '2/2')];
    assert.deepEqual([...shards.flat()].sort(), [...all].sort());
  });
});
