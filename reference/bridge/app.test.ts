/** The Bridge against a real PostgreSQL, with the Hub replaced by an in-memory contract double. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { ReleasePayload } from '../shared/contract.ts';
import { deriveAccessKeys, issueAccessToken, parsePasetoKeys } from '../shared/tokens.ts';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { createBridgeApp } from './app.ts';
import type { HubClient } from './hub-client.ts';
import { createPools, type Pools } from './pools.ts';

const secrets = parsePasetoKeys('k1:bridge-test-secret-0123');
const keysFor = (project: string, env: string) => deriveAccessKeys(secrets, project, env);
const token = (project: string, sub: string, ttlSeconds = 600, roles = ['authenticated']) =>
  issueAccessToken(keysFor(project, 'dev')[0]!, { sub, roles, project, env: 'dev', ttlSeconds });

let postgres: TestPostgres;
let url = '';
let pools: Pools;
let app: ReturnType<typeof createBridgeApp>;
const revoked = new Set<string>();

function release(project: string): ReleasePayload {
  return {
    release_id: `r-${project}`,
    project,
    env: 'dev',
    schema: {
      tables: {
        notes: { connection: 'main', id: { name: 'id', generate: 'client' }, columns: { owner: { type: 'string' }, body: { type: 'string', nullable: true }, secret: { type: 'string', nullable: true }, tags: { type: 'array', items: 'string', nullable: true } } },
      },
    },
    permissions: {
      tables: {
        notes: {
          select: [
            { roles: ['admin'], columns: ['*'] },
            { roles: ['authenticated'], condition: 'resource.owner == request.auth.sub', columns: ['id', 'owner', 'body', 'tags'] },
          ],
          insert: { roles: ['admin', 'authenticated'], columns: ['owner', 'body', 'tags'] },
          update: { roles: ['admin'] },
          delete: { roles: ['admin'] },
        },
      },
    },
    storage: {},
    logics: {
      whoami: '---\nauth: authenticated\n---\nSELECT :auth.sub AS sub',
      hello: '---\nauth: public\nparams:\n  name: { type: string, default: world }\n---\nSELECT \'hi \' || :name AS greeting',
      gated: '---\nparams:\n  owner: { type: string, required: true }\ncondition: request.params.owner == request.auth.sub\n---\nSELECT count(*)::int AS n FROM notes WHERE owner = :owner',
    },
    connections: { main: { name: 'main', engine: 'postgres', db_url: url } },
  };
}

const hub: HubClient = {
  currentRelease: async (project) => (project === 'shop' || project === 'other' ? release(project) : undefined),
  signingKeys: async (project, env) => keysFor(project, env),
  verifyApiKey: async (keyId, secret) =>
    keyId === 'admin' && secret === 'good' && !revoked.has(keyId)
      ? { valid: true, key: { id: keyId, project_id: 'shop', env_id: 'dev', project_name: 'shop', env_name: 'dev', roles: ['admin'] } }
      : { valid: false },
  reachable: async () => true,
};

async function call(path: string, params: unknown, headers: Record<string, string> = {}) {
  const response = await app.request('/call', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ path, params }) });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) as Record<string, any>, text };
}

const ADMIN = { 'x-santokit-api-key': 'admin.good' };

async function checksum(): Promise<string> {
  const client = new pg.Client(url);
  await client.connect();
  const rows = await client.query(`SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY id), '')) AS sum, count(*) AS n FROM notes t`);
  await client.end();
  return `${rows.rows[0].n}:${rows.rows[0].sum}`;
}

describe('reference Bridge', () => {
  before(async () => {
    postgres = await startTestPostgres();
    url = await postgres.createDatabase('shop');
    const client = new pg.Client(url);
    await client.connect();
    await client.query(`CREATE TABLE notes (id text PRIMARY KEY, owner text NOT NULL, body text, secret text, tags text[])`);
    await client.query(`INSERT INTO notes VALUES ('n1', 'alice', 'a', 's1', NULL), ('n2', 'bob', 'b', 's2', NULL), ('n3', 'alice', 'c', 's3', NULL)`);
    await client.end();
    pools = createPools();
    app = createBridgeApp({ hub, pools, log: () => undefined });
  });
  after(async () => {
    await pools.closeAll();
    await postgres.stop();
  });

  test('select, insert, update and delete with response shapes rows vs affected', async () => {
    const rows = await call('db/notes/select', { where: { owner: 'alice' }, orderBy: { id: 'desc' } }, ADMIN);
    assert.deepEqual(rows.json.data.map((row: { id: string }) => row.id), ['n3', 'n1']);
    const inserted = await call('db/notes/insert', { values: { id: 'n4', owner: 'carol', tags: ['x', 'y'] } }, ADMIN);
    assert.equal(inserted.status, 200, inserted.text);
    assert.equal(inserted.json.data.id, 'n4');
    assert.deepEqual((await call('db/notes/update', { values: { body: 'z' }, where: { id: 'n4' } }, ADMIN)).json, { data: { affected: 1 } });
    assert.deepEqual((await call('db/notes/delete', { where: { id: { $in: ['n4'] } } }, ADMIN)).json, { data: { affected: 1 } });
    const page = await call('db/notes/select', { limit: 1, offset: 1 }, ADMIN);
    assert.deepEqual(page.json.data.map((row: { id: string }) => row.id), ['n2']);
  });

  test('update and delete without a non-empty where are refused and write nothing', async () => {
    const before = await checksum();
    for (const [op, params] of [['update', { values: { body: 'x' } }], ['update', { values: { body: 'x' }, where: {} }], ['delete', {}], ['delete', { where: {} }]] as const) {
      const response = await call(`db/notes/${op}`, params, ADMIN);
      assert.equal(response.status, 400, response.text);
      assert.equal(response.json.error.code, 'BAD_REQUEST');
    }
    assert.equal(await checksum(), before);
  });

  test('value types and array items are validated, naming the field', async () => {
    const wrong = await call('db/notes/insert', { values: { id: 'x1', owner: 5 } }, ADMIN);
    assert.equal(wrong.json.error.code, 'SCHEMA_VALIDATION_FAILED');
    assert.match(wrong.json.error.message, /owner/);
    const items = await call('db/notes/insert', { values: { id: 'x2', owner: 'a', tags: ['ok', 3] } }, ADMIN);
    assert.equal(items.json.error.code, 'SCHEMA_VALIDATION_FAILED');
    assert.match(items.json.error.message, /tags/);
  });

  test('CEL owner condition filters rows; forbidden columns are refused; the owner sees only own rows', async () => {
    const alice = { authorization: `Bearer ${token('shop', 'alice')}` };
    const own = await call('db/notes/select', {}, alice);
    assert.deepEqual(own.json.data.map((row: { id: string }) => row.id), ['n1', 'n3']);
    assert.ok(own.json.data.every((row: Record<string, unknown>) => !('secret' in row)), 'secret column is not returned');
    assert.equal((await call('db/notes/select', { columns: ['secret'] }, alice)).status, 403);
    assert.equal((await call('db/notes/select', { where: { secret: 's2' } }, alice)).status, 403);
  });

  test('at least 30 SQL-injection payloads are rejected or inert and the table is unchanged', async () => {
    const before = await checksum();
    const payloads = ["' OR '1'='1", "'; DROP TABLE notes; --", '" OR 1=1 --', "n1' --", '1; DELETE FROM notes', "' UNION SELECT secret FROM notes --", '\\', "'; UPDATE notes SET owner='x'; --"];
    const attempts: [string, unknown][] = [];
    for (const payload of payloads) {
      attempts.push(['db/notes/select', { where: { owner: payload } }]);
      attempts.push(['db/notes/select', { where: { [payload]: 'x' } }]);
      attempts.push(['db/notes/select', { orderBy: { [payload]: 'asc' } }]);
      attempts.push(['db/notes/select', { orderBy: { id: payload } }]);
      attempts.push([`db/${payload}/select`, {}]);
      attempts.push(['db/notes/select', { columns: [payload] }]);
      attempts.push(['db/notes/update', { values: { body: payload }, where: { id: payload } }]);
      attempts.push(['logics/hello', { name: payload }]);
      attempts.push(['db/notes/select', { expand: [payload] }]);
    }
    assert.ok(attempts.length >= 30);
    for (const [path, params] of attempts) {
      const response = await call(path, params, ADMIN);
      assert.ok(response.status < 500, `${path} ${JSON.stringify(params)} → ${response.status} ${response.text}`);
      if (response.status === 200 && path === 'logics/hello') assert.equal(response.json.data[0].greeting, `hi ${(params as { name: string }).name}`);
    }
    assert.equal(await checksum(), before);
  });

  test('auth bypass attempts are refused with the right status', async () => {
    const select = (headers: Record<string, string>) => call('db/notes/select', {}, headers);
    assert.equal((await select({ 'x-santokit-project': 'shop', 'x-santokit-env': 'dev' })).status, 401, 'anonymous on a non-public table');
    assert.equal((await select({})).status, 400, 'anonymous without hints');
    assert.equal((await select({ authorization: `Bearer ${token('other', 'alice')}`, 'x-santokit-project': 'shop', 'x-santokit-env': 'dev' })).status, 403, 'other project with forged hints');
    assert.equal((await select({ authorization: `Bearer ${token('shop', 'alice', -10)}` })).status, 401, 'expired');
    const foreign = issueAccessToken(deriveAccessKeys(parsePasetoKeys('k1:someone-elses-secret-01'), 'shop', 'dev')[0]!, { sub: 'x', roles: ['admin'], project: 'shop', env: 'dev', ttlSeconds: 600 });
    assert.equal((await select({ authorization: `Bearer ${foreign}` })).status, 401, 'signed with an unknown key');
    assert.equal((await select({ 'x-santokit-api-key': 'admin.bad' })).status, 401, 'wrong key secret');
    assert.equal((await select({ cookie: `stk_access_other_dev=${token('other', 'alice')}`, 'x-santokit-project': 'shop', 'x-santokit-env': 'dev' })).status, 401, 'cookie for another project');
    assert.equal((await select({ cookie: `stk_access_shop_dev=${token('shop', 'a')}; stk_access_other_dev=${token('other', 'b')}` })).status, 401, 'several cookies, no hints');
    assert.equal((await select({ authorization: 'Basic abc' })).status, 401, 'unusable scheme');
    revoked.add('admin');
    assert.equal((await select(ADMIN)).status, 401, 'revoked key');
    revoked.delete('admin');
  });

  test('logics: public defaults, auth binding, unknown params, condition gate, unknown logic', async () => {
    const anonymous = { 'x-santokit-project': 'shop', 'x-santokit-env': 'dev' };
    assert.deepEqual((await call('logics/hello', {}, anonymous)).json.data, [{ greeting: 'hi world' }]);
    assert.equal((await call('logics/whoami', {}, anonymous)).status, 401);
    assert.deepEqual((await call('logics/whoami', {}, { authorization: `Bearer ${token('shop', 'alice')}` })).json.data, [{ sub: 'alice' }]);
    assert.equal((await call('logics/hello', { nope: 1 }, anonymous)).status, 400);
    const alice = { authorization: `Bearer ${token('shop', 'alice')}` };
    assert.deepEqual((await call('logics/gated', { owner: 'alice' }, alice)).json.data, [{ n: 2 }]);
    assert.equal((await call('logics/gated', { owner: 'bob' }, alice)).status, 403);
    assert.equal((await call('logics/gated', {}, alice)).status, 400);
    assert.equal((await call('logics/nosuch', {}, alice)).status, 404);
  });
});
