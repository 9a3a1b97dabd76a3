/** `santokit-it list`: every filter, the three formats, and the exit-2 cases. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AUTH_SCENARIOS, capability, scenarioModule, validTree, writeTree } from './helpers/catalog-fixture.ts';
import { runCli } from './helpers/cli.ts';

const LOGIN = `${AUTH_SCENARIOS}::login returns a token`;
const BAD_PASSWORD = `${AUTH_SCENARIOS}::login refuses a bad password`;
const BOOTSTRAP = 'src/scenarios/operator/operator-001-bootstrap.ts::bootstrap creates a release';
const SPEC = 'src/scenarios/spec/envelope.ts::errors use the envelope';
const CRUD = 'src/scenarios/crud/crud-001-insert.ts::insert returns the row';

interface ListJson {
  capabilities: { id: string; status: string; scenarios: string[] }[];
  scenarios: { id: string; capability: string; line: number }[];
}

describe('santokit-it list', () => {
  let root = '';
  let remove: () => Promise<void> = async () => undefined;

  before(async () => {
    const tree = validTree();
    // A spec contract scenario referenced from OPERATOR-001, and an in_progress crud capability.
    tree['plan/capabilities/operator/OPERATOR-001-bootstrap.md'] = capability({
      id: 'OPERATOR-001',
      domain: 'operator',
      testRefs: [BOOTSTRAP, SPEC],
      codeRefs: ['code/hub.ts'],
    });
    tree['src/scenarios/spec/envelope.ts'] = scenarioModule([
      { capability: 'OPERATOR-001', name: 'errors use the envelope' },
    ]);
    tree['plan/capabilities/crud/CRUD-001-insert.md'] = capability({
      id: 'CRUD-001',
      domain: 'crud',
      status: 'in_progress',
      testRefs: [CRUD],
      depends: ['AUTH-001'],
    });
    tree['src/scenarios/crud/crud-001-insert.ts'] = scenarioModule([
      { capability: 'CRUD-001', name: 'insert returns the row' },
    ]);
    ({ root, remove } = await writeTree(tree));
  });
  after(() => remove());

  const list = async (...args: string[]) => {
    const result = await runCli(['list', '--format', 'json', '--root', root, ...args], { cwd: root });
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as ListJson;
  };
  const ids = (json: ListJson) => json.scenarios.map((scenario) => scenario.id).sort();

  test('no filter lists every scenario module', async () => {
    assert.deepEqual(ids(await list()), [LOGIN, BAD_PASSWORD, CRUD, BOOTSTRAP, SPEC].sort());
  });

  test('--from-plan lists only scenarios named by test_refs', async () => {
    assert.deepEqual(ids(await list('--from-plan')), [LOGIN, BAD_PASSWORD, CRUD, BOOTSTRAP, SPEC].sort());
  });

  test('--domain (repeatable)', async () => {
    assert.deepEqual(ids(await list('--domain', 'auth')), [LOGIN, BAD_PASSWORD].sort());
    assert.deepEqual(ids(await list('--domain', 'auth', '--domain', 'crud')), [LOGIN, BAD_PASSWORD, CRUD].sort());
  });

  test('--capability (repeatable and comma lists)', async () => {
    assert.deepEqual(ids(await list('--capability', 'OPERATOR-001')), [BOOTSTRAP, SPEC].sort());
    assert.deepEqual(ids(await list('--capability', 'OPERATOR-001,CRUD-001')), [BOOTSTRAP, SPEC, CRUD].sort());
  });

  test('--status', async () => {
    assert.deepEqual(ids(await list('--status', 'in_progress')), [CRUD]);
    const json = await list('--status', 'planned', '--pass-with-no-scenarios');
    assert.deepEqual(
      json.capabilities.map((item) => item.id),
      ['AUTH-002'],
    );
    assert.deepEqual(json.scenarios, []);
  });

  test('--grep matches scenario names', async () => {
    assert.deepEqual(ids(await list('--grep', '^login')), [LOGIN, BAD_PASSWORD].sort());
  });

  test('--with-deps adds the dependencies, transitively', async () => {
    const json = await list('--capability', 'CRUD-001', '--with-deps');
    assert.deepEqual(
      json.capabilities.map((item) => item.id),
      ['AUTH-001', 'CRUD-001', 'OPERATOR-001'],
    );
    assert.deepEqual(ids(json), [LOGIN, BAD_PASSWORD, CRUD, BOOTSTRAP, SPEC].sort());
  });

  test('--shard splits deterministically and the shards cover everything once', async () => {
    const shards = await Promise.all(['1/3', '2/3', '3/3'].map(async (shard) => ids(await list('--shard', shard))));
    assert.deepEqual(shards.flat().sort(), [LOGIN, BAD_PASSWORD, CRUD, BOOTSTRAP, SPEC].sort());
    assert.deepEqual(ids(await list('--shard', '2/3')), shards[1]);
  });

  test('positional paths select scenario files or folders', async () => {
    assert.deepEqual(ids(await list('src/scenarios/spec')), [SPEC]);
    assert.deepEqual(ids(await list(AUTH_SCENARIOS)), [LOGIN, BAD_PASSWORD].sort());
  });

  test('--format shell prints quoted ids on one line', async () => {
    const result = await runCli(['list', '--format', 'shell', '--root', root, '--domain', 'auth']);
    assert.equal(result.stdout, `'${LOGIN}' '${BAD_PASSWORD}'\n`);
  });

  test('--format text groups scenarios under their capability', async () => {
    const result = await runCli(['list', '--root', root, '--domain', 'crud']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^CRUD-001 \[in_progress\] Title of CRUD-001\n {2}src\/scenarios\/crud/m);
  });

  test('an unknown capability or domain exits 2 with the closest names', async () => {
    const capabilityResult = await runCli(['list', '--root', root, '--capability', 'AUTH-01']);
    assert.equal(capabilityResult.code, 2);
    assert.match(capabilityResult.stderr, /unknown capability 'AUTH-01'\nDid you mean 'AUTH-001' or 'AUTH-002'/);
    const domainResult = await runCli(['list', '--root', root, '--domain', 'crd']);
    assert.equal(domainResult.code, 2);
    assert.match(domainResult.stderr, /Did you mean 'crud'/);
    assert.doesNotMatch(domainResult.stderr, /\n\s+at /, 'no stack trace for a user mistake');
  });

  test('nothing selected exits 2 unless --pass-with-no-scenarios', async () => {
    const none = await runCli(['list', '--root', root, '--grep', 'no such scenario']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no scenarios selected/);
    const allowed = await runCli(['list', '--root', root, '--grep', 'no such scenario', '--pass-with-no-scenarios']);
    assert.equal(allowed.code, 0);
  });

  test('bad flags exit 2', async () => {
    const result = await runCli(['list', '--root', root, '--shard', '4/3']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--shard '4\/3'/);
    const unknown = await runCli(['list', '--frm-plan']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown option '--frm-plan'/);
  });
});
