/**
 * `santokit-it validate` on fixture catalogs: one broken catalog per issue
 * code, each checked for the code, the file and the line in the JSON output,
 * and for the exit code (2 for errors, 0 for warnings only).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AUTH_FILE,
  AUTH_SCENARIOS,
  capability,
  scenarioModule,
  validTree,
  writeTree,
  type Tree,
} from './helpers/catalog-fixture.ts';
import { mapLimit, runCli, type CliResult } from './helpers/cli.ts';

const OPERATOR_FILE = 'plan/capabilities/operator/OPERATOR-001-bootstrap.md';
const OPERATOR_SCENARIOS = 'src/scenarios/operator/operator-001-bootstrap.ts';
const PLANNED_FILE = 'plan/capabilities/auth/AUTH-002-oidc.md';

interface Case {
  readonly code: string;
  readonly mutate: (tree: Tree) => void;
  /** File the issue must point at, and a text whose first line there is the expected line. */
  readonly file: string;
  readonly at: string;
  readonly exit?: number;
}

const edit = (file: string, from: string, to: string) => (tree: Tree) => {
  const text = tree[file];
  if (text === undefined || !text.includes(from)) assert.fail(`fixture ${file} lacks '${from}'`);
  tree[file] = text.replace(from, to);
};

const move = (from: string, to: string) => (tree: Tree) => {
  tree[to] = tree[from] ?? '';
  delete tree[from];
};

const cases: readonly Case[] = [
  {
    code: 'PARSE_ERROR',
    mutate: edit(AUTH_FILE, 'title: Title of AUTH-001', 'title: a: b'),
    file: AUTH_FILE,
    at: 'title: a: b',
  },
  {
    code: 'PARSE_ERROR',
    mutate: edit(AUTH_FILE, 'status: implemented', 'status: implemented\ntitle: twice'),
    file: AUTH_FILE,
    at: 'title: twice',
  },
  {
    code: 'DOMAIN_INVALID',
    mutate: edit(AUTH_FILE, 'domain: auth', 'domain: authz'),
    file: AUTH_FILE,
    at: 'domain: authz',
  },
  { code: 'ID_FORMAT', mutate: edit(AUTH_FILE, 'id: AUTH-001', 'id: AUTH-1'), file: AUTH_FILE, at: 'id: AUTH-1' },
  {
    code: 'ID_DOMAIN_MISMATCH',
    mutate: edit(PLANNED_FILE, 'id: AUTH-002', 'id: CRUD-002'),
    file: PLANNED_FILE,
    at: 'id: CRUD-002',
  },
  {
    code: 'FILENAME_FORMAT',
    mutate: move(PLANNED_FILE, 'plan/capabilities/auth/AUTH-002_Oidc.md'),
    file: 'plan/capabilities/auth/AUTH-002_Oidc.md',
    at: '---',
  },
  {
    code: 'FILENAME_ID_MISMATCH',
    mutate: move(PLANNED_FILE, 'plan/capabilities/auth/AUTH-003-oidc.md'),
    file: 'plan/capabilities/auth/AUTH-003-oidc.md',
    at: 'id: AUTH-002',
  },
  {
    code: 'FRONTMATTER_DOMAIN_MISMATCH',
    mutate: edit(PLANNED_FILE, 'domain: auth', 'domain: crud'),
    file: PLANNED_FILE,
    at: 'domain: crud',
  },
  {
    code: 'STATUS_INVALID',
    mutate: edit(PLANNED_FILE, 'status: planned', 'status: done'),
    file: PLANNED_FILE,
    at: 'status: done',
  },
  {
    code: 'REF_MISSING',
    mutate: edit(AUTH_FILE, '  - plan/spec/errors.md', '  - plan/spec/nope.md'),
    file: AUTH_FILE,
    at: 'plan/spec/nope.md',
  },
  {
    code: 'REF_CASE_MISMATCH',
    mutate: edit(AUTH_FILE, '  - plan/spec/errors.md', '  - plan/spec/ERRORS.md'),
    file: AUTH_FILE,
    at: 'plan/spec/ERRORS.md',
  },
  {
    code: 'TEST_NODEID_INVALID',
    mutate: edit(AUTH_FILE, `${AUTH_SCENARIOS}::login returns a token`, `${AUTH_SCENARIOS}:login returns a token`),
    file: AUTH_FILE,
    at: ':login returns',
  },
  {
    code: 'TEST_FILE_MISSING',
    mutate: edit(AUTH_FILE, `${AUTH_SCENARIOS}::login returns`, 'src/scenarios/auth/gone.ts::login returns'),
    file: AUTH_FILE,
    at: 'gone.ts',
  },
  {
    code: 'TEST_FUNCTION_MISSING',
    mutate: edit(AUTH_FILE, '::login returns a token', '::login returns a tokn'),
    file: AUTH_FILE,
    at: 'a tokn',
  },
  {
    code: 'DEPENDS_FORMAT',
    mutate: edit(AUTH_FILE, '  - OPERATOR-001', '  - operator one'),
    file: AUTH_FILE,
    at: 'operator one',
  },
  {
    code: 'DEPENDS_UNKNOWN',
    mutate: edit(AUTH_FILE, '  - OPERATOR-001', '  - OPERATOR-099'),
    file: AUTH_FILE,
    at: 'OPERATOR-099',
  },
  {
    code: 'STATUS_PLANNED_HAS_TESTS',
    mutate: edit(PLANNED_FILE, 'test_refs: []', 'test_refs:\n  - src/scenarios/auth/x.ts::y'),
    file: PLANNED_FILE,
    at: 'x.ts::y',
  },
  {
    code: 'STATUS_PLANNED_HAS_CODE',
    mutate: edit(PLANNED_FILE, 'code_refs: []', 'code_refs:\n  - code/hub.ts'),
    file: PLANNED_FILE,
    at: '  - code/hub.ts',
  },
  {
    code: 'STATUS_IMPLEMENTED_MISSING_TESTS',
    mutate: edit(OPERATOR_FILE, `test_refs:\n  - ${OPERATOR_SCENARIOS}::bootstrap creates a release`, 'test_refs: []'),
    file: OPERATOR_FILE,
    at: 'status: implemented',
  },
  {
    code: 'STATUS_IMPLEMENTED_MISSING_CODE',
    mutate: edit(OPERATOR_FILE, 'code_refs:\n  - code/hub.ts', 'code_refs: []'),
    file: OPERATOR_FILE,
    at: 'status: implemented',
  },
  { code: 'SECTION_MISSING', mutate: edit(AUTH_FILE, '## Usage\n', ''), file: AUTH_FILE, at: '## Failure Modes' },
  {
    code: 'SECTION_ORDER',
    mutate: edit(
      AUTH_FILE,
      '## Observable Outcome\n\nWhat one sees.\n\n## Usage\n',
      '## Usage\n\nWhat one sees.\n\n## Observable Outcome\n',
    ),
    file: AUTH_FILE,
    at: '## Observable Outcome',
  },
  {
    code: 'ACCEPTANCE_FORMAT',
    mutate: edit(AUTH_FILE, '- [ ] It answers 200.', '- It answers 200.'),
    file: AUTH_FILE,
    at: '## Acceptance Criteria',
  },
  {
    code: 'ID_DUPLICATE',
    mutate: (tree) =>
      void (tree['plan/capabilities/auth/AUTH-001-again.md'] = capability({
        id: 'AUTH-001',
        domain: 'auth',
        status: 'planned',
      })),
    file: AUTH_FILE,
    at: 'id: AUTH-001',
  },
  {
    code: 'DEPENDS_CYCLE',
    mutate: edit(OPERATOR_FILE, 'depends: []', 'depends:\n  - AUTH-001'),
    file: OPERATOR_FILE,
    at: '  - AUTH-001',
  },
  {
    code: 'TITLE_MISSING',
    mutate: edit(PLANNED_FILE, 'title: Title of AUTH-002', "title: ''"),
    file: PLANNED_FILE,
    at: "title: ''",
  },
  {
    code: 'SCENARIO_ORPHAN',
    mutate: (tree) =>
      void (tree[OPERATOR_SCENARIOS] = scenarioModule([
        { capability: 'OPERATOR-001', name: 'bootstrap creates a release' },
        { capability: 'OPERATOR-001', name: 'nobody names me' },
      ])),
    file: OPERATOR_SCENARIOS,
    at: 'nobody names me',
  },
  {
    code: 'SCENARIO_CAPABILITY_MISMATCH',
    mutate: edit(
      AUTH_SCENARIOS,
      "defineScenario('AUTH-001', 'login returns a token'",
      "defineScenario('OPERATOR-001', 'login returns a token'",
    ),
    file: AUTH_FILE,
    at: '::login returns a token',
  },
  {
    code: 'FIELD_UNKNOWN',
    mutate: edit(PLANNED_FILE, 'status: planned', 'status: planned\nowner: someone'),
    file: PLANNED_FILE,
    at: 'owner: someone',
    exit: 0,
  },
  {
    code: 'DEPENDS_LESS_MATURE',
    mutate: (tree) => {
      edit(PLANNED_FILE, 'depends:\n  - AUTH-001', 'depends: []')(tree);
      edit(OPERATOR_FILE, 'depends: []', 'depends:\n  - AUTH-002')(tree);
    },
    file: OPERATOR_FILE,
    at: '  - AUTH-002',
    exit: 0,
  },
  {
    // A name that is not a literal makes the module be imported, and this one throws while loading.
    code: 'PARSE_ERROR',
    mutate: (tree) =>
      void (tree[OPERATOR_SCENARIOS] =
        "import { defineScenario } from 'santokit-it';\nconst name = 'bootstrap creates a release';\nthrow new Error('boom at import');\nexport const s = defineScenario('OPERATOR-001', name, async () => {});\n"),
    file: OPERATOR_SCENARIOS,
    at: 'throw new Error',
  },
  {
    code: 'TEST_FUNCTION_MISSING',
    mutate: (tree) =>
      void (tree[OPERATOR_SCENARIOS] =
        "import { defineScenario } from 'santokit-it';\nconst name = 'a computed name';\nexport const s = defineScenario('OPERATOR-001', name, async () => {});\n"),
    file: OPERATOR_FILE,
    at: '::bootstrap creates a release',
  },
];

function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  assert.ok(index >= 0, `'${needle}' not in fixture`);
  return text.slice(0, index).split('\n').length;
}

interface ValidationJson {
  ok: boolean;
  issues: { code: string; severity: string; file: string; line: number; message: string; hint: string }[];
  summary: { errors: number; warnings: number; byCode: Record<string, number> };
}

describe('santokit-it validate', () => {
  const removals: (() => Promise<void>)[] = [];
  const outcomes = new Map<Case, { result: CliResult; tree: Tree }>();

  before(async () => {
    await mapLimit(cases, 4, async (item) => {
      const tree = validTree();
      item.mutate(tree);
      const written = await writeTree(tree);
      removals.push(written.remove);
      outcomes.set(item, { result: await runCli(['validate', '--format', 'json', '--root', written.root]), tree });
    });
  });
  after(async () => Promise.all(removals.map((remove) => remove())));

  test('a valid catalog exits 0 with no issues', async () => {
    const written = await writeTree(validTree());
    removals.push(written.remove);
    const result = await runCli(['validate', '--format', 'json', '--root', written.root]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as ValidationJson;
    assert.deepEqual(report.issues, []);
    assert.equal(report.ok, true);
  });

  for (const item of cases) {
    test(`${item.code}: ${item.file} at '${item.at}'`, () => {
      const outcome = outcomes.get(item);
      assert.ok(outcome);
      const { result, tree } = outcome;
      assert.equal(result.code, item.exit ?? 2, `exit code; stderr: ${result.stderr}`);
      const report = JSON.parse(result.stdout) as ValidationJson;
      const expectedLine = lineOf(tree[item.file] ?? '', item.at);
      const found = report.issues.filter((issue) => issue.code === item.code);
      assert.ok(found.length > 0, `no ${item.code} in ${JSON.stringify(report.issues, null, 1)}`);
      assert.ok(
        found.some((issue) => issue.file === item.file && issue.line === expectedLine),
        `${item.code} not at ${item.file}:${expectedLine}; got ${found.map((issue) => `${issue.file}:${issue.line}`).join(', ')}`,
      );
      for (const issue of found) {
        assert.ok(issue.message.length > 0 && issue.hint.length > 0, 'every issue has a message and a hint');
        assert.equal(issue.severity, item.exit === 0 ? 'warning' : 'error');
      }
      assert.equal(report.ok, (item.exit ?? 2) === 0);
    });
  }

  test('every issue is collected, not only the first', async () => {
    const tree = validTree();
    edit(AUTH_FILE, 'status: implemented', 'status: done')(tree);
    edit(PLANNED_FILE, 'domain: auth', 'domain: crud')(tree);
    edit(AUTH_FILE, '  - OPERATOR-001', '  - OPERATOR-099')(tree);
    const written = await writeTree(tree);
    removals.push(written.remove);
    const result = await runCli(['validate', '--format', 'json', '--root', written.root]);
    const codes = (JSON.parse(result.stdout) as ValidationJson).issues.map((issue) => issue.code).sort();
    assert.deepEqual(codes, ['DEPENDS_UNKNOWN', 'FRONTMATTER_DOMAIN_MISMATCH', 'ID_DOMAIN_MISMATCH', 'STATUS_INVALID']);
  });

  test('--relaxed-status skips the STATUS_* rules', async () => {
    const tree = validTree();
    edit(OPERATOR_FILE, 'code_refs:\n  - code/hub.ts', 'code_refs: []')(tree);
    const written = await writeTree(tree);
    removals.push(written.remove);
    const strict = await runCli(['validate', '--root', written.root]);
    const relaxed = await runCli(['validate', '--relaxed-status', '--root', written.root]);
    assert.equal(strict.code, 2);
    assert.match(strict.stdout, /STATUS_IMPLEMENTED_MISSING_CODE/);
    assert.equal(relaxed.code, 0, relaxed.stdout);
  });

  test('--format github prints workflow annotations; text groups by file with a summary', async () => {
    const tree = validTree();
    edit(PLANNED_FILE, 'status: planned', 'status: done')(tree);
    const written = await writeTree(tree);
    removals.push(written.remove);
    const github = await runCli(['validate', '--format', 'github', '--root', written.root]);
    assert.match(
      github.stdout,
      new RegExp(`^::error file=${PLANNED_FILE.replaceAll('/', '\\/')},line=5,title=STATUS_INVALID::`, 'm'),
    );
    const text = await runCli(['validate', '--root', written.root]);
    assert.match(text.stdout, /STATUS_INVALID/);
    assert.match(text.stdout, /catalog invalid: 3 documents, 3 scenarios, 1 errors, 0 warnings \(STATUS_INVALID×1\)/);
    assert.doesNotMatch(text.stdout, /\u001b\[/, 'no colour codes when not a TTY');
  });
});
