/** `--covering <file>`: the capabilities whose code_refs name a file, through the real CLI. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AUTH_SCENARIOS, capability, scenarioModule, validTree, writeTree } from './helpers/catalog-fixture.ts';
import { runCli } from './helpers/cli.ts';

const CRUD = 'src/scenarios/crud/crud-001-insert.ts::insert returns the row';
const BOOTSTRAP = 'src/scenarios/operator/operator-001-bootstrap.ts::bootstrap creates a release';

interface ListJson {
  capabilities: { id: string }[];
  scenarios: { id: string }[];
  covering: { files: string[]; capabilities: { id: string; why: string[] }[] };
}

describe('santokit-it --covering', () => {
  let root = '';
  let remove: () => Promise<void> = async () => undefined;

  before(async () => {
    const tree = validTree();
    // CRUD-001 names a folder and depends on AUTH-001, which names code/hub.ts: a dependent, never selected by it.
    tree['code/bridge/where.ts'] = 'export {};\n';
    tree['code/bridge/values.ts'] = 'export {};\n';
    tree['plan/capabilities/crud/CRUD-001-insert.md'] = capability({
      id: 'CRUD-001',
      domain: 'crud',
      testRefs: [CRUD],
      codeRefs: ['code/bridge/'],
      depends: ['AUTH-001'],
    });
    tree['src/scenarios/crud/crud-001-insert.ts'] = scenarioModule([
      { capability: 'CRUD-001', name: 'insert returns the row' },
    ]);
    ({ root, remove } = await writeTree(tree));
  });
  after(() => remove());

  test('list selects the capabilities naming the file, not their dependents, and says why', async () => {
    const result = await runCli(['list', '--format', 'json', '--root', root, '--covering', 'code/hub.ts'], {
      cwd: root,
    });
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout) as ListJson;
    assert.deepEqual(
      json.capabilities.map((item) => item.id),
      ['AUTH-001', 'OPERATOR-001'],
    );
    assert.deepEqual(
      json.scenarios.map((item) => item.id).sort(),
      [`${AUTH_SCENARIOS}::login refuses a bad password`, `${AUTH_SCENARIOS}::login returns a token`, BOOTSTRAP].sort(),
    );
    assert.deepEqual(json.covering.capabilities, [
      { id: 'AUTH-001', why: ['code_refs names code/hub.ts'], reasons: [{ file: 'code/hub.ts', ref: 'code/hub.ts' }] },
      {
        id: 'OPERATOR-001',
        why: ['code_refs names code/hub.ts'],
        reasons: [{ file: 'code/hub.ts', ref: 'code/hub.ts' }],
      },
    ]);
  });

  test('a file under a named folder, given relative to the working directory; text output says why', async () => {
    const result = await runCli(['list', '--root', root, '--covering', 'bridge/where.ts'], { cwd: `${root}/code` });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^CRUD-001 \[implemented\]/m);
    assert.match(result.stdout, /why: code_refs names code\/bridge, which holds code\/bridge\/where\.ts/);
    assert.doesNotMatch(result.stdout, /AUTH-001/);
  });

  test('a file no code_refs name, or no file at all, exits 2 with a hint and no stack trace', async () => {
    const orphan = await runCli(['list', '--root', root, '--covering', 'plan/spec/errors.md'], { cwd: root });
    assert.equal(orphan.code, 2);
    assert.match(orphan.stderr, /--covering plan\/spec\/errors\.md: no capability's code_refs name this file/);
    assert.match(orphan.stderr, /Add it to the code_refs/);
    assert.doesNotMatch(orphan.stderr, /\n\s+at /);
    const missing = await runCli(['--root', root, '--covering', 'code/nope.ts'], { cwd: root });
    // run reports it through its reporter, on standard output
    assert.equal(missing.code, 2);
    assert.match(missing.stdout, /no such file or folder 'code\/nope\.ts'/);
  });
});
