/** API keys, end users (PASETO access tokens and the access cookie) and the Bridge's internal routes. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accessCookieName, SERVICE_TOKEN_HEADER, serviceTokenValue } from '../../shared/contract.ts';
import { parsePasetoKeys } from '../../shared/paseto-keys.ts';
import { deriveAccessKeys, readFooter, verifyAccessToken } from '../../shared/tokens.ts';
import {
  createProject,
  expectError,
  expectOk,
  hubPerSuite,
  items,
  PERMISSIONS_V1,
  TEST_ENV,
  USERS_V1,
} from '../test-kit.ts';

const hubOf = hubPerSuite();
const owner = () => ({ token: hubOf().owner });
const service = { headers: { [SERVICE_TOKEN_HEADER]: serviceTokenValue(TEST_ENV.STK_SERVICE_TOKEN) } };
const keysFor = (project: string, env: string) =>
  deriveAccessKeys(parsePasetoKeys(TEST_ENV.STK_PASETO_KEYS), project, env);

describe('credentials', () => {
  test('API keys: create once, list without secrets, verify, revoke by name or id', async () => {
    const hub = hubOf();
    const { project } = await createProject(hub, ['dev', 'prod']);
    const create = (body: Record<string, unknown>) =>
      hub.call(
        'POST',
        '/api/apikeys/create',
        { project, env: 'dev', name: 'server', roles: ['admin'], ...body },
        owner(),
      );
    const created = expectOk(await create({}));
    const apiKey = String(created.api_key);
    assert.match(apiKey, /^[^.\s]+\.[A-Za-z0-9_-]{32,}$/);
    assert.ok(apiKey.startsWith(`${String(created.key_id)}.`));
    const [keyId, secret] = apiKey.split('.') as [string, string];
    expectError(await create({}), 409, 'CONFLICT');
    expectOk(await create({ env: 'prod' }), 'the same name in another env is independent');
    const other = await createProject(hub);
    const otherKey = String(
      expectOk(
        await hub.call(
          'POST',
          '/api/apikeys/create',
          { project: other.project, env: 'dev', name: 'server', roles: ['reader'] },
          owner(),
        ),
      ).api_key,
    );
    // OPERATOR-002: role bindings not valid for the project scope are 422.
    for (const roles of [['public'], ['authenticated'], [], ['Bad Role'], [' admin'], ['admin', '']])
      expectError(await create({ name: 'other', roles }), 422, 'INVALID_ROLE');
    // errors.md: a field of the wrong JSON type is 400; roles is a list, never a comma string.
    expectError(await create({ name: 'other', roles: 'admin,reader' }), 400, 'BAD_REQUEST');
    expectError(await create({ name: 'Bad Name' }), 400, 'BAD_REQUEST');
    expectOk(await create({ name: 'split', roles: ['admin', 'reader'] }));
    const listed = await hub.call('GET', `/api/apikeys/list?project=${project}&env=dev`, undefined, owner());
    const rows = items(listed);
    assert.deepEqual(
      rows.map((row) => [row.name, row.status, row.roles]),
      [
        ['split', 'active', ['admin', 'reader']],
        ['server', 'active', ['admin']],
      ],
    );
    assert.deepEqual(Object.keys(rows[1] ?? {}).sort(), [
      'created_at',
      'id',
      'name',
      'revoked',
      'revoked_at',
      'roles',
      'status',
    ]);
    assert.ok(!listed.text.includes(secret));
    const verify = (body: Record<string, unknown>) => hub.call('POST', '/internal/apikeys/verify', body, service);
    assert.deepEqual(expectOk(await verify({ key_id: keyId, secret })), {
      valid: true,
      key: { id: keyId, project_id: project, env_id: 'dev', project_name: project, env_name: 'dev', roles: ['admin'] },
    });
    assert.deepEqual(expectOk(await verify({ key_id: keyId, secret: `${secret.slice(0, -1)}x` })), { valid: false });
    assert.deepEqual(expectOk(await verify({ key_id: 'nosuch', secret })), { valid: false });
    assert.deepEqual(expectOk(await verify({})), { valid: false });
    assert.deepEqual(
      expectOk(await hub.call('POST', '/api/apikeys/revoke', { project, env: 'dev', key_id: 'server' }, owner())),
      { ok: true, key_id: keyId, status: 'revoked' },
    );
    assert.deepEqual(expectOk(await verify({ key_id: keyId, secret })), { valid: false });
    expectOk(
      await hub.call('POST', '/api/apikeys/revoke', { project, env: 'dev', key_id: keyId }, owner()),
      'revoking again is a no-op',
    );
    expectError(
      await hub.call('POST', '/api/apikeys/revoke', { project, env: 'dev', key_id: 'nosuch' }, owner()),
      404,
      'NOT_FOUND',
    );
    const revoked = items(
      await hub.call('GET', `/api/apikeys/list?project=${project}&env=dev`, undefined, owner()),
    ).find((row) => String(row.name) === 'server');
    assert.equal(revoked?.status, 'revoked');
    assert.match(String(revoked?.revoked_at), /Z$/);
    const [otherId, otherSecret] = otherKey.split('.');
    assert.equal(
      expectOk(await verify({ key_id: otherId, secret: otherSecret })).valid,
      true,
      "the other project's key is untouched",
    );
    const stored = await hub.deps.store.query<{ secret_hash: string }>(
      `SELECT secret_hash FROM hub_api_keys WHERE id = $1`,
      [keyId],
    );
    assert.ok(!stored[0]?.secret_hash.includes(secret), 'only a hash is stored');
  });

  test('end users: signup and login return a PASETO token bound to the project/env, and the access cookie', async () => {
    const hub = hubOf();
    const { project } = await createProject(hub);
    const body = { project, env: 'dev', email: 'ana@example.com', password: 'correct-horse' };
    const signup = await hub.call('POST', '/api/endusers/signup', body);
    const first = expectOk(signup);
    const token = String(first.access_token);
    assert.match(token, /^v4\.local\./);
    assert.match(String(first.sub), /^[0-9a-f-]{36}$/);
    assert.equal(first.expires_in, 3600);
    assert.equal(
      signup.headers.get('set-cookie'),
      `${accessCookieName(project, 'dev')}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600`,
    );
    assert.deepEqual(readFooter(token), { kid: 'k1', project, env: 'dev' });
    const verdict = verifyAccessToken(token, keysFor);
    assert.equal(verdict.status, 'valid');
    if (verdict.status === 'valid')
      assert.deepEqual(
        [verdict.claims.sub, verdict.claims.roles, verdict.claims.projectId, verdict.claims.envId],
        [first.sub, ['authenticated', 'reader'], project, 'dev'],
      );
    const login = expectOk(await hub.call('POST', '/api/endusers/login', body));
    assert.equal(login.sub, first.sub);
    assert.notEqual(login.access_token, token);
    expectError(
      await hub.call('POST', '/api/endusers/signup', { ...body, password: 'another-password' }),
      409,
      'CONFLICT',
    );
    expectError(
      await hub.call('POST', '/api/endusers/login', { ...body, password: 'another-password' }),
      401,
      'UNAUTHORIZED',
      /^invalid credentials$/,
    );
    expectError(
      await hub.call('POST', '/api/endusers/login', { ...body, email: 'nobody@example.com' }),
      401,
      'UNAUTHORIZED',
      /^invalid credentials$/,
    );
    expectError(await hub.call('POST', '/api/endusers/login', { ...body, env: 'prod' }), 401, 'UNAUTHORIZED');
    const missing = await hub.call('POST', '/api/endusers/signup', { ...body, project: 'nosuch' });
    expectError(missing, 404, 'NOT_FOUND');
    assert.equal(missing.headers.get('set-cookie'), null);
    expectError(await hub.call('POST', '/api/endusers/signup', { ...body, email: 'not-an-email' }), 400, 'BAD_REQUEST');
    expectError(
      await hub.call('POST', '/api/endusers/signup', { ...body, email: 'b@example.com', password: '' }),
      400,
      'BAD_REQUEST',
    );
    expectOk(
      await hub.call('POST', '/api/endusers/signup', { ...body, email: 'short@example.com', password: 'pw' }),
      'no length rule beyond non-empty',
    );
    const secure = await hub.call('POST', '/api/endusers/login', body, { headers: { 'x-forwarded-proto': 'https' } });
    assert.match(secure.headers.get('set-cookie') ?? '', /; Secure$/);
    assert.deepEqual(expectOk(await hub.call('POST', '/internal/tokens/verify', { token }, service)), {
      valid: true,
      claims: { project, env: 'dev', sub: first.sub, roles: ['authenticated', 'reader'] },
    });
    assert.deepEqual(
      expectOk(await hub.call('POST', '/internal/tokens/verify', { token: hub.owner }, service)),
      { valid: false },
      'an operator token is no end-user token',
    );
  });

  test('internal routes: service token required; release payloads and signing keys', async () => {
    const hub = hubOf();
    const { project, urls } = await createProject(hub);
    const logics = { whoami: '---\nauth: authenticated\n---\nSELECT :auth.sub AS sub' };
    const applied = expectOk(
      await hub.call(
        'POST',
        '/api/apply',
        { project, env: 'dev', ref: 'r1', schema: [USERS_V1], permissions: PERMISSIONS_V1, logics },
        owner(),
      ),
    );
    const current = `/internal/releases/${project}/dev/current`;
    const wrongTokens: Record<string, string>[] = [
      {},
      { [SERVICE_TOKEN_HEADER]: 'wrong' },
      { [SERVICE_TOKEN_HEADER]: serviceTokenValue(`${TEST_ENV.STK_SERVICE_TOKEN}x`) },
      { [SERVICE_TOKEN_HEADER]: TEST_ENV.STK_SERVICE_TOKEN },
    ];
    for (const headers of wrongTokens) {
      expectError(await hub.call('GET', current, undefined, { headers }), 401, 'UNAUTHORIZED');
      expectError(await hub.call('GET', `/internal/keys/${project}/dev`, undefined, { headers }), 401, 'UNAUTHORIZED');
    }
    const payload = expectOk(await hub.call('GET', current, undefined, service));
    assert.equal(payload.release_id, applied.release_id);
    assert.deepEqual(Object.keys(payload).sort(), [
      'connections',
      'env',
      'logics',
      'permissions',
      'project',
      'release_id',
      'schema',
      'storage',
    ]);
    assert.deepEqual(payload.connections, { main: { name: 'main', engine: 'postgres', db_url: urls.dev } });
    assert.deepEqual(payload.logics, logics);
    assert.deepEqual(payload.storage, {});
    assert.equal(payload.schema?.tables?.users?.id?.name, 'id');
    assert.deepEqual(payload.permissions?.tables?.users?.select, { roles: ['admin', 'reader'] });
    const byId = expectOk(
      await hub.call('GET', `/internal/releases/${String(applied.release_id)}`, undefined, service),
    );
    assert.deepEqual(byId, payload);
    expectError(
      await hub.call('GET', `/internal/releases/${project}/prod/current`, undefined, service),
      404,
      'NOT_FOUND',
    );
    expectError(await hub.call('GET', '/internal/releases/nosuch', undefined, service), 404, 'NOT_FOUND');
    const keys = expectOk(await hub.call('GET', `/internal/keys/${project}/dev`, undefined, service));
    assert.deepEqual(keys, { project, env: 'dev', keys: keysFor(project, 'dev') });
    expectError(await hub.call('GET', `/internal/keys/${project}/nosuch`, undefined, service), 404, 'NOT_FOUND');
    expectError(await hub.call('GET', '/internal/keys/__operators__/__hub__', undefined, service), 404, 'NOT_FOUND');
  });
});
