/**
 * `--changed`: a fixture catalog in a git repository of its own, changed one
 * way at a time; `list --changed --format json` says what is selected and why.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { AUTH_SCENARIOS, capability, scenarioModule, validTree, writeTree } from './helpers/catalog-fixture.ts';
import { runCli } from './helpers/cli.ts';

interface ChangedJson {
  scenarios: { id: string; capability: string }[];
  changed: {
    base: string;
    files: string[];
    everything: boolean;
    unattributed: string[];
    ignored: { file: string; why: string }[];
    capabilities: { id: string; why: string[]; reasons: { kind: string }[] }[];
  };
  notes: string[];
}

const PY_TEST = 'tests/py/tests/test_gate.py';

function tree(): Record<string, string> {
  const files = validTree();
  files[AUTH_SCENARIOS] = `import { helper } from '../kit/helper.ts';\n${scenarioModule([
    { capability: 'AUTH-001', name: 'login returns a token', body: 'helper();' },
    { capability: 'AUTH-001', name: 'login refuses a bad password' },
  ])}`;
  files['src/scenarios/kit/helper.ts'] = "import { inner } from './inner.ts';\nexport const helper = () => inner();\n";
  files['src/scenarios/kit/inner.ts'] = 'export const inner = () => undefined;\n';
  files['src/scenarios/operator/operator-001-bootstrap.ts'] = scenarioModule([
    { capability: 'OPERATOR-001', name: 'bootstrap creates a release', body: "void context; void 'basic';" },
  ]);
  files['src/scenarios/fixtures/basic/schema/users.yaml'] = 'version: 1\n';
  files['src/scenarios/fixtures/unused/schema/users.yaml'] = 'version: 1\n';
  files['plan/capabilities/crud/CRUD-001-insert.md'] = capability({
    id: 'CRUD-001',
    domain: 'crud',
    codeRefs: ['code/bridge/'],
    testRefs: ['src/scenarios/crud/crud-001-insert.ts::insert returns the row'],
  });
  files['src/scenarios/crud/crud-001-insert.ts'] = scenarioModule([
    { capability: 'CRUD-001', name: 'insert returns the row' },
  ]);
  files['code/bridge/where.ts'] = 'export {};\n';
  files['plan/capabilities/security/SECURITY-001-gate.md'] = capability({
    id: 'SECURITY-001',
    domain: 'security',
    depends: ['CRUD-001'],
    codeRefs: ['code/hub.ts'],
    testRefs: [`${PY_TEST}::test_gate`],
  });
  files['tests/py/pyproject.toml'] = '[tool.pytest.ini_options]\n';
  files['tests/py/conftest.py'] = 'import pytest\n';
  files['tests/py/tests/__init__.py'] = '';
  files['tests/py/helpers/__init__.py'] = '';
  files['tests/py/helpers/checks.py'] = 'def check():\n    return True\n';
  files[PY_TEST] = [
    'import pytest',
    'from helpers.checks import check',
    '',
    'FIXTURE = "/workspace/tests/py/fixtures/cel"',
    'pytestmark = [pytest.mark.capability("SECURITY-001")]',
    '',
    'def test_gate():',
    '    assert check()',
    '',
  ].join('\n');
  files['tests/py/fixtures/cel/config/permissions.yaml'] = 'tables: {}\n';
  files['README.md'] = '# fixture\n';
  return files;
}

describe('--changed', () => {
  let root = '';
  let remove: () => Promise<void> = async () => undefined;
  // Always this repository's own .git: never one found further up.
  const git = (...args: string[]) =>
    execFileSync(
      'git',
      [
        '--git-dir',
        join(root, '.git'),
        '--work-tree',
        root,
        '-c',
        'user.name=t',
        '-c',
        'user.email=t@example.com',
        ...args,
      ],
      { encoding: 'utf8', cwd: root },
    );

  before(async () => {
    ({ root, remove } = await writeTree(tree()));
    execFileSync('git', ['init', '--quiet', '--initial-branch=main', root]);
    git('add', '.');
    git('commit', '--quiet', '-m', 'catalog');
  });
  afterEach(() => {
    git('checkout', '--quiet', 'main');
    git('reset', '--quiet', '--hard', 'main');
    git('clean', '--quiet', '-fd');
  });
  after(() => remove());

  const list = async (...args: string[]): Promise<ChangedJson> => {
    const result = await runCli(['list', '--format', 'json', '--root', root, '--changed', ...args], { cwd: root });
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as ChangedJson;
  };
  const chosen = (json: ChangedJson) =>
    Object.fromEntries(json.changed.capabilities.map((entry) => [entry.id, entry.why]));
  const touch = (file: string) => appendFile(join(root, file), '\n// touched\n');

  test('nothing changed: nothing selected, exit 0, and run starts no stack', async () => {
    const json = await list();
    assert.deepEqual(json.scenarios, []);
    assert.deepEqual(json.changed.files, []);
    assert.equal(json.changed.base, 'main');
    const run = await runCli(
      ['--root', root, '--changed', '--reporter', 'list,json', '--output-dir', join(root, 'out')],
      { cwd: root },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /--changed \(against main, [0-9a-f]+\): 0 changed files: nothing to run/);
    const report = JSON.parse(await readFile(join(root, 'out/results.json'), 'utf8')) as {
      status: string;
      scenarios: unknown[];
      stack?: unknown;
    };
    assert.deepEqual([report.status, report.scenarios.length, report.stack], ['passed', 0, undefined]);
  });

  test('a file under a code_refs folder selects its capability and, transitively, those depending on it', async () => {
    await touch('code/bridge/where.ts');
    const json = await list();
    assert.deepEqual(chosen(json), {
      'CRUD-001': ['code_refs names code/bridge/, which holds code/bridge/where.ts'],
      'SECURITY-001': ['depends on CRUD-001'],
    });
    assert.deepEqual(json.scenarios.map((scenario) => scenario.capability).sort(), ['CRUD-001', 'SECURITY-001']);
  });

  test('a kit file selects the scenario modules importing it, also through another kit file', async () => {
    await touch('src/scenarios/kit/inner.ts');
    const json = await list();
    assert.deepEqual(chosen(json)['AUTH-001'], [`${AUTH_SCENARIOS} imports src/scenarios/kit/inner.ts`]);
    assert.deepEqual(chosen(json)['AUTH-002'], ['depends on AUTH-001']);
    assert.equal(chosen(json)['OPERATOR-001'], undefined);
  });

  test('a fixture file selects the scenarios naming its folder; an edited document selects its capability', async () => {
    await touch('src/scenarios/fixtures/basic/schema/users.yaml');
    await appendFile(join(root, 'plan/capabilities/auth/AUTH-002-oidc.md'), '\nMore words.\n');
    const json = await list();
    assert.deepEqual(chosen(json)['OPERATOR-001'], [
      "src/scenarios/operator/operator-001-bootstrap.ts uses fixture 'basic' (src/scenarios/fixtures/basic/schema/users.yaml)",
    ]);
    assert.deepEqual(chosen(json)['AUTH-002'], ['its document plan/capabilities/auth/AUTH-002-oidc.md changed']);
    assert.deepEqual(chosen(json)['AUTH-001'], ['depends on OPERATOR-001']);
    assert.equal(json.changed.everything, false);
  });

  test('pytest references: the test file, its helper imports, conftest.py above it, and its fixtures', async () => {
    for (const file of [
      PY_TEST,
      'tests/py/helpers/checks.py',
      'tests/py/conftest.py',
      'tests/py/fixtures/cel/config/permissions.yaml',
    ]) {
      await appendFile(join(root, file), '\n# touched\n');
      const json = await list();
      assert.deepEqual(Object.keys(chosen(json)), ['SECURITY-001'], file);
      assert.equal(json.changed.everything, false, file);
      git('checkout', '--quiet', '--', file);
    }
  });

  test('a file the map cannot attribute selects everything and names it; documentation is set aside', async () => {
    await writeFile(join(root, 'package.json'), '{}\n');
    await touch('README.md');
    await touch('src/scenarios/fixtures/unused/schema/users.yaml');
    const json = await list();
    assert.equal(json.changed.everything, true);
    assert.deepEqual(json.changed.unattributed, ['package.json', 'src/scenarios/fixtures/unused/schema/users.yaml']);
    assert.deepEqual(json.changed.ignored, [{ file: 'README.md', why: 'documentation' }]);
    assert.equal(json.scenarios.length, 5);
    assert.match(
      json.notes.join('\n'),
      /no capability claims package\.json, src\/scenarios\/fixtures\/unused\/schema\/users\.yaml: running everything selected/,
    );
  });

  test('the base: committed work on a branch counts against the default branch; an explicit base; an unknown one is exit 2', async () => {
    git('checkout', '--quiet', '-b', 'feature');
    await touch('code/bridge/where.ts');
    git('commit', '--quiet', '-am', 'change the bridge');
    assert.deepEqual(Object.keys(chosen(await list())), ['CRUD-001', 'SECURITY-001']);
    assert.deepEqual(Object.keys(chosen(await list('--changed=HEAD'))), []);
    const bad = await runCli(['list', '--root', root, '--changed=no-such-ref'], { cwd: root });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--changed: .* has no common history with 'no-such-ref'/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
  });

  test('text output says why each capability was chosen', async () => {
    await touch('code/bridge/where.ts');
    const result = await runCli(['list', '--root', root, '--changed'], { cwd: root });
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /^CRUD-001\n {2}why: code_refs names code\/bridge\/, which holds code\/bridge\/where\.ts$/m,
    );
    assert.match(result.stdout, /^SECURITY-001\n {2}why: depends on CRUD-001$/m);
  });
});
