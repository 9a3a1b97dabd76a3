/**
 * The security suite: SQL-injection payloads through every place request
 * text reaches the Bridge (where keys, values and operators, orderBy,
 * expand, columns, table and op in the path, written values, logic names
 * and params, hint headers) are refused or inert, and the database is
 * proven unchanged; credential bypass attempts are refused with the right status.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parsePasetoKeys } from '../shared/paseto-keys.ts';
import { addApiKey, endUserToken, startHarness, type CallResult, type Harness } from './test-support.ts';

const PAYLOADS = [
  "' OR '1'='1",
  "'; DROP TABLE notes; --",
  '" OR 1=1 --',
  "n1' --",
  '1; DELETE FROM notes',
  "' UNION SELECT secret FROM notes --",
  '\\',
  "'; UPDATE notes SET owner = 'x'; --",
  '"; DROP TABLE notes; --',
  'notes"; DROP TABLE notes; --',
  'id" = "id" OR "1',
  '$1',
  '$$; DROP TABLE notes; $$',
  '/* */ OR 1=1',
  '1) OR (1=1',
  'id) OR TRUE --',
  'owner::text',
  'pg_sleep(5)',
  '(SELECT 1)',
  'CHR(39)||CHR(39)',
  "' AND 1=(SELECT COUNT(*) FROM pg_tables) --",
  "%' OR '%'='",
  "\\'; DROP TABLE notes; --",
  "'||(SELECT secret FROM notes LIMIT 1)||'",
  "admin'--",
  '1 OR 1=1',
  "' OR ''='",
  "'; SHUTDOWN; --",
  'id ASC; DROP TABLE notes',
  'id; TRUNCATE notes',
  ':auth.sub',
  "'; COPY notes TO '/tmp/stk-pwned'; --",
  'constructor',
  '__proto__',
  'owner\u0000x',
  'É\u202e; DROP',
];

const LOGICS = {
  echo: '---\nauth: public\nparams:\n  v: { type: string, required: true }\n---\nSELECT :v AS v',
  find: '---\nparams:\n  owner: { type: string, required: true }\n---\nSELECT id FROM notes WHERE owner = :owner',
};

let h: Harness;
let ADMIN: Record<string, string>;
const HINTS = { 'x-santokit-project': 'shop', 'x-santokit-env': 'dev' };

async function fingerprint(): Promise<string> {
  const tables = await h.sql<{ names: string }>(
    `SELECT string_agg(tablename, ',' ORDER BY tablename) AS names FROM pg_tables WHERE schemaname = 'public'`,
  );
  return `${tables[0]?.names} ${await h.checksum('notes')} ${await h.checksum('users')}`;
}

function refusedOrInert(result: CallResult, what: string, echoed: string, inert?: (data: unknown) => boolean): void {
  assert.ok(result.status < 500, `${what} → ${result.status} ${result.text}`);
  // A message may quote the caller's own text back; anything else SQL-like would be the Bridge's.
  const own = [64, 32, 16].reduce(
    (message, length) => message.replaceAll(echoed.slice(0, length), ''),
    result.body.error?.message ?? '',
  );
  assert.ok(!/syntax|SELECT |DELETE |FROM "|postgres:\/\//i.test(own), `${what}: message leaks SQL: ${result.text}`);
  if (result.status === 200) assert.ok(inert?.(result.body.data) ?? false, `${what} answered 200 with ${result.text}`);
}

describe('security suite', () => {
  before(async () => {
    h = await startHarness({
      ddl: `CREATE TABLE users (id text PRIMARY KEY, email text NOT NULL);
            CREATE TABLE notes (id text PRIMARY KEY, owner text NOT NULL, body text, secret text, user_id text REFERENCES users (id));
            CREATE TABLE scratch (id text PRIMARY KEY, body text);
            INSERT INTO users VALUES ('u1', 'a@x.io');
            INSERT INTO notes VALUES ('n1', 'alice', 'a', 's1', 'u1'), ('n2', 'bob', 'b', 's2', NULL), ('n3', 'alice', 'c', 's3', NULL);`,
      cache: { ttlMs: 50 },
      release: () => ({
        release_id: 'r1',
        project: 'shop',
        env: 'dev',
        storage: {},
        logics: LOGICS,
        schema: {
          tables: {
            users: { id: { generate: 'client' }, columns: { email: { type: 'string' } } },
            notes: {
              id: { generate: 'client' },
              columns: {
                owner: { type: 'string' },
                body: { type: 'string', nullable: true },
                secret: { type: 'string', nullable: true },
                user_id: { type: 'string', nullable: true, references: { table: 'users', as: 'user' } },
              },
            },
            scratch: { columns: { body: { type: 'string', nullable: true } } },
          },
        },
        permissions: {
          tables: {
            users: { select: { roles: ['admin'] } },
            notes: {
              select: [
                { roles: ['admin'] },
                {
                  roles: ['authenticated'],
                  condition: 'resource.owner == request.auth.sub',
                  columns: ['id', 'owner', 'body'],
                },
              ],
              update: { roles: ['admin'] },
              delete: { roles: ['admin'] },
            },
            scratch: { insert: { roles: ['admin'] }, select: { roles: ['admin'] } },
          },
        },
      }),
    });
    ADMIN = addApiKey(h.hub, 'admin', ['admin']);
  });
  after(() => h.stop());

  test(`${PAYLOADS.length} injection payloads through every input are refused or inert; the database is unchanged`, async () => {
    assert.ok(PAYLOADS.length >= 30);
    const start = await fingerprint();
    const empty = (data: unknown) => Array.isArray(data) && data.length === 0;
    let attempts = 0;
    for (const payload of PAYLOADS) {
      const tries: [string, unknown, ((data: unknown) => boolean)?][] = [
        ['db/notes/select', { where: { owner: payload } }, empty],
        ['db/notes/select', { where: { owner: { $in: [payload] } } }, empty],
        ['db/notes/select', { where: { owner: { $gt: payload } } }, (data) => Array.isArray(data)],
        ['db/notes/select', { where: { [payload]: 'x' } }],
        ['db/notes/select', { where: { owner: { [payload]: 'x' } } }],
        ['db/notes/select', { orderBy: { [payload]: 'asc' } }],
        ['db/notes/select', { orderBy: { id: payload } }],
        ['db/notes/select', { expand: [payload] }],
        ['db/notes/select', { columns: [payload] }],
        ['db/notes/select', { columns: ['id', payload] }],
        [`db/${payload}/select`, {}],
        [`db/notes/${payload}`, { where: { id: 'n1' } }],
        [
          'db/notes/update',
          { where: { id: payload }, data: { body: payload } },
          (data) => JSON.stringify(data) === '[]',
        ],
        ['db/notes/update', { where: { id: 'n1' }, data: { [payload]: 'x' } }],
        ['db/notes/delete', { where: { owner: payload } }, (data) => JSON.stringify(data) === '{"affected":0}'],
        ['db/notes/delete', { where: { [payload]: 'x' } }],
        [`logics/${payload}`, {}],
        ['logics/find', { owner: payload }, empty],
        ['logics/echo', { v: payload }, (data) => JSON.stringify(data) === JSON.stringify([{ v: payload }])],
        ['logics/echo', { [payload]: 'x' }],
      ];
      for (const [path, params, inert] of tries) {
        refusedOrInert(await h.call(path, params, ADMIN), `${path} ${JSON.stringify(params)}`, payload, inert);
        attempts += 1;
      }
      const written = await h.call('db/scratch/insert', { values: { body: payload } }, ADMIN);
      if (payload.includes('\u0000'))
        assert.equal(written.body.error?.code, 'BAD_REQUEST', 'PostgreSQL text cannot hold NUL');
      else
        assert.deepEqual(
          await h.sql('SELECT body FROM scratch WHERE id = $1', [(written.body.data as { id: string }[])[0]?.id]),
          [{ body: payload }],
          'stored verbatim',
        );
      if (!/[\u0000\u202e]/.test(payload)) {
        const hinted = await h.call(
          'logics/echo',
          { v: 'x' },
          { 'x-santokit-project': payload, 'x-santokit-env': 'dev' },
        );
        assert.equal(hinted.status, 404, hinted.text);
        attempts += 1;
      }
    }
    assert.ok(attempts >= 30 * 20);
    assert.equal(await fingerprint(), start, 'tables and rows are exactly as before');
  });

  test("a caller filter can only narrow the rule's row filter", async () => {
    const alice = { authorization: `Bearer ${endUserToken('shop', 'alice')}` };
    const ids = async (params: unknown) =>
      ((await h.call('db/notes/select', params, alice)).body.data as { id: string }[]).map((row) => row.id);
    assert.deepEqual(await ids({}), ['n1', 'n3']);
    assert.deepEqual(await ids({ where: { owner: 'bob' } }), []);
    assert.deepEqual(await ids({ where: { owner: { $in: ['alice', 'bob'] } } }), ['n1', 'n3']);
    assert.deepEqual(await ids({ where: { id: { $ne: null } } }), ['n1', 'n3']);
    assert.equal(
      (await h.call('db/notes/select', { where: { secret: { $ne: null } } }, alice)).status,
      403,
      'hidden columns cannot be probed',
    );
    assert.equal(
      (await h.call('db/notes/select', { expand: ['user'] }, alice)).status,
      403,
      'no rule on users, no expand',
    );
  });

  test('credential bypass attempts are refused with the right status and change nothing', async () => {
    const start = await fingerprint();
    const select = (headers: Record<string, string>) => h.call('db/notes/select', {}, headers);
    const [v, local, payload = '', footer = ''] = endUserToken('shop', 'alice').split('.');
    const tampered = `${payload.slice(0, 10)}${payload[10] === 'A' ? 'B' : 'A'}${payload.slice(11)}`;
    const footerFor = (project: string, kid = 'k1') =>
      Buffer.from(JSON.stringify({ kid, project, env: 'dev' })).toString('base64url');
    const otherSecret = parsePasetoKeys('k1:someone-elses-secret-0001');
    const cases: [string, Record<string, string>, number][] = [
      ['no credential on a non-public op', HINTS, 401],
      ['no credential and no hints', {}, 401],
      ['one hint header only', { 'x-santokit-project': 'shop' }, 400],
      [
        'token of another project with forged hints',
        { authorization: `Bearer ${endUserToken('other', 'alice')}`, ...HINTS },
        403,
      ],
      [
        'token of another env with forged hints',
        { authorization: `Bearer ${endUserToken('shop', 'alice', { env: 'prod' })}`, ...HINTS },
        403,
      ],
      [
        'footer rewritten to this project',
        { authorization: `Bearer ${[v, local, payload, footerFor('shop-x')].join('.')}` },
        401,
      ],
      [
        'footer naming an unknown kid',
        { authorization: `Bearer ${[v, local, payload, footerFor('shop', 'k9')].join('.')}` },
        401,
      ],
      ['payload changed by one character', { authorization: `Bearer ${[v, local, tampered, footer].join('.')}` }, 401],
      ['expired token', { authorization: `Bearer ${endUserToken('shop', 'alice', { ttlSeconds: -5 })}` }, 401],
      [
        'token signed with an unknown key',
        { authorization: `Bearer ${endUserToken('shop', 'mallory', { roles: ['admin'], secrets: otherSecret })}` },
        401,
      ],
      [
        'token of the operator context',
        { authorization: `Bearer ${endUserToken('__operators__', 'op', { env: '__hub__' })}` },
        401,
      ],
      ['not a PASETO', { authorization: 'Bearer not-a-token' }, 401],
      ['empty bearer', { authorization: 'Bearer ' }, 401],
      ['Basic scheme', { authorization: 'Basic dXNlcjpwdw==' }, 401],
      [
        'cookie for another project, hints of this one',
        { cookie: `stk_access_other_dev=${endUserToken('other', 'alice')}`, ...HINTS },
        401,
      ],
      [
        "cookie named for this project holding another project's token",
        { cookie: `stk_access_shop_dev=${endUserToken('other', 'alice')}` },
        403,
      ],
      [
        'several cookies and no hints',
        {
          cookie: `stk_access_shop_dev=${endUserToken('shop', 'a')}; stk_access_other_dev=${endUserToken('other', 'b')}`,
        },
        401,
      ],
      ['API key without a dot', { 'x-santokit-api-key': 'admin' }, 401],
      ['API key with a wrong secret', { 'x-santokit-api-key': 'admin.wrong' }, 401],
      ['unknown API key', { 'x-santokit-api-key': 'ghost.secret' }, 401],
      [
        'invalid API key next to a valid token',
        { 'x-santokit-api-key': 'admin.wrong', authorization: `Bearer ${endUserToken('shop', 'alice')}` },
        401,
      ],
      [
        'API key of another project with forged hints',
        { ...addApiKey(h.hub, 'foreign', ['admin'], 'other'), ...HINTS },
        403,
      ],
    ];
    for (const [what, headers, status] of cases) {
      const result = await select(headers);
      assert.equal(result.status, status, `${what}: ${result.text}`);
      assert.equal(result.body.data, undefined, what);
    }
    assert.equal(
      (await select({ ...ADMIN, authorization: 'Bearer garbage' })).status,
      200,
      'a valid API key wins over a garbage bearer',
    );
    assert.equal(
      (await select({ authorization: `bearer ${endUserToken('shop', 'alice')}` })).status,
      200,
      'the scheme is case-insensitive',
    );
    assert.equal(
      (
        await select({
          cookie: `stk_access_shop_dev=${endUserToken('shop', 'alice')}; stk_access_other_dev=x`,
          ...HINTS,
        })
      ).status,
      200,
      'hints choose the cookie',
    );
    h.hub.apiKeys.get('admin')!.revoked = true;
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal((await select(ADMIN)).status, 401, 'revoked key, after the cache bound');
    h.hub.apiKeys.get('admin')!.revoked = false;
    assert.equal(await fingerprint(), start);
  });
});
