/**
 * Test-mode controls: absent without STK_HUB_TEST_MODE; when present, a release with one column stored as
 * given, and logins whose tokens live a given time.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deriveAccessKeys, verifyAccessToken } from '../../shared/tokens.ts';
import {
  createOperator,
  createProject,
  expectError,
  expectOk,
  hubPerSuite,
  PERMISSIONS_V1,
  TEST_ENV,
  USERS_V1,
} from '../test-kit.ts';

const MYSTERY = { type: 'uuidish', nullable: false };

/** The Hub in test mode, shared by every suite below that needs nothing else of it. */
const testing = hubPerSuite({ STK_HUB_TEST_MODE: '1' });

describe('test-mode controls', () => {
  const plainOf = hubPerSuite();

  test('without test mode the routes do not exist', async () => {
    const plain = plainOf();
    const { project } = await createProject(plain);
    const body = { project, env: 'dev', table: 'users', column: 'mystery', definition: MYSTERY };
    expectError(
      await plain.call('POST', '/api/test/releases/column', body, { token: plain.owner }),
      404,
      'NOT_FOUND',
      /^no route /,
    );
    const email = 'ana@example.com';
    expectOk(await plain.call('POST', '/api/endusers/signup', { project, env: 'dev', email, password: 'pw-ana-1' }));
    const endUser = { project, env: 'dev', email, password: 'pw-ana-1', ttl_ms: -1000 };
    expectError(await plain.call('POST', '/api/test/endusers/login', endUser), 404, 'NOT_FOUND', /^no route /);
    const operator = { email: 'owner@example.com', password: TEST_ENV.STK_OPERATOR_PASSWORD, ttl_ms: -1000 };
    expectError(await plain.call('POST', '/api/test/auth/login', operator), 404, 'NOT_FOUND', /^no route /);
    const minted = { project, env: 'dev', claims: { sub: 'x' } };
    expectError(
      await plain.call('POST', '/api/test/endusers/token', minted, { token: plain.owner }),
      404,
      'NOT_FOUND',
      /^no route /,
    );
  });

  test('a copy of the current release with the column as given becomes current, the other columns kept', async () => {
    const hub = testing();
    const owner = { token: hub.owner };
    const { project } = await createProject(hub);
    const body = { project, env: 'dev', table: 'users', column: 'mystery', definition: MYSTERY };
    expectError(
      await hub.call('POST', '/api/test/releases/column', body, owner),
      404,
      'NOT_FOUND',
      /^no current release$/,
    );
    const applied = expectOk(
      await hub.call(
        'POST',
        '/api/apply',
        { project, env: 'dev', ref: 'r1', schema: [USERS_V1], permissions: PERMISSIONS_V1 },
        owner,
      ),
    );
    expectError(await hub.call('POST', '/api/test/releases/column', body), 401, 'UNAUTHORIZED');
    expectError(
      await hub.call('POST', '/api/test/releases/column', { ...body, table: 'ghosts' }, owner),
      404,
      'NOT_FOUND',
      /^table not found: ghosts$/,
    );
    expectError(
      await hub.call('POST', '/api/test/releases/column', { ...body, definition: 'uuidish' }, owner),
      400,
      'BAD_REQUEST',
    );
    const made = expectOk(await hub.call('POST', '/api/test/releases/column', body, owner));
    assert.notEqual(made.release_id, applied.release_id);
    const current = expectOk(
      await hub.call('GET', `/api/releases/current?project=${project}&env=dev&include=schema`, undefined, owner),
    );
    assert.equal(current.release_id, made.release_id);
    const columns = (current.schema as { tables: { users: { columns: Record<string, unknown> } } }).tables.users
      .columns;
    assert.deepEqual(columns.mystery, MYSTERY);
    assert.ok(Object.hasOwn(columns, 'email'), 'the other columns stay');
  });
});

describe('test-mode logins with a chosen token lifetime', () => {
  const verify = (token: string, project: string, env: string, at: number) =>
    verifyAccessToken(token, () => deriveAccessKeys(testing().deps.config.pasetoKeys, project, env), new Date(at));

  test('an end-user token lives ttl_ms, is refused after, and the real limits bound ttl_ms', async () => {
    const hub = testing();
    const { project } = await createProject(hub);
    const user = { project, env: 'dev', email: 'bea@example.com', password: 'pw-bea-1' };
    const signedUp = expectOk(await hub.call('POST', '/api/endusers/signup', user));
    const login = (ttl: unknown) => hub.call('POST', '/api/test/endusers/login', { ...user, ttl_ms: ttl });
    for (const ttl of [undefined, '1000', 1.5, 3_600_001, -86_400_001])
      expectError(await login(ttl), 400, 'BAD_REQUEST', /ttl_ms/);
    expectError(
      await hub.call('POST', '/api/test/endusers/login', { ...user, password: 'wrong', ttl_ms: 1000 }),
      401,
      'UNAUTHORIZED',
      /^invalid credentials$/,
    );
    const before = Date.now();
    const short = await login(60_000);
    const session = expectOk(short);
    assert.equal(session.sub, signedUp.sub);
    assert.equal(session.expires_in, 60);
    assert.match(short.headers.get('set-cookie') ?? '', /Max-Age=60(;|$)/);
    const token = String(session.access_token);
    assert.equal(verify(token, project, 'dev', Date.now()).status, 'valid');
    assert.equal(verify(token, project, 'dev', before + 59_000).status, 'valid', 'inside its life');
    assert.deepEqual(verify(token, project, 'dev', Date.now() + 60_000), { status: 'invalid', reason: 'expired' });

    const dead = await login(-1000);
    assert.equal(expectOk(dead).expires_in, 0);
    assert.match(dead.headers.get('set-cookie') ?? '', /Max-Age=0(;|$)/);
    assert.deepEqual(verify(String(dead.json?.access_token), project, 'dev', Date.now()), {
      status: 'invalid',
      reason: 'expired',
    });
    expectOk(await login(3_600_000), 'the real lifetime is the upper bound');
  });

  test('an operator token lives ttl_ms: whoami answers until then, 401 after', async () => {
    const hub = testing();
    const operator = await createOperator(hub, 'short');
    const body = { email: operator.email, password: 'operator-password' };
    const login = (ttl: unknown) => hub.call('POST', '/api/test/auth/login', { ...body, ttl_ms: ttl });
    for (const ttl of [undefined, 28_800_001, -86_400_001, 0.5]) expectError(await login(ttl), 400, 'BAD_REQUEST');
    expectError(
      await hub.call('POST', '/api/test/auth/login', { ...body, password: 'wrong', ttl_ms: 1000 }),
      401,
      'UNAUTHORIZED',
    );
    const live = String(expectOk(await login(60_000)).token);
    assert.equal(expectOk(await hub.call('GET', '/api/auth/whoami', undefined, { token: live })).email, operator.email);
    assert.equal(verify(live, '__operators__', '__hub__', Date.now() + 59_000).status, 'valid');
    assert.equal(verify(live, '__operators__', '__hub__', Date.now() + 61_000).status, 'invalid');
    const dead = String(expectOk(await login(-1000)).token);
    expectError(
      await hub.call('GET', '/api/auth/whoami', undefined, { token: dead }),
      401,
      'UNAUTHORIZED',
      /^operator token expired$/,
    );
    expectOk(await login(28_800_000), 'the real lifetime is the upper bound');
  });
});

describe('test-mode tokens with claims as given', () => {
  test('a project admin gets its claims encrypted with the real key; the verifier judges them', async () => {
    const hub = testing();
    const { project } = await createProject(hub);
    const exp = new Date(Date.now() + 60_000).toISOString();
    const good = { sub: 'u1', roles: ['reader'], projectId: project, envId: 'dev', iat: new Date().toISOString(), exp };
    const mint = (claims: unknown, options: { token?: string } = { token: hub.owner }) =>
      hub.call('POST', '/api/test/endusers/token', { project, env: 'dev', claims }, options);
    expectError(await mint(good, {}), 401, 'UNAUTHORIZED');
    const stranger = await createOperator(hub, 'stranger');
    expectError(await mint(good, { token: stranger.token }), 403, 'FORBIDDEN');
    expectError(await mint('u1'), 400, 'BAD_REQUEST', /claims/);
    const judge = async (claims: unknown) =>
      verifyAccessToken(String(expectOk(await mint(claims)).access_token), () =>
        deriveAccessKeys(hub.deps.config.pasetoKeys, project, 'dev'),
      );
    assert.equal((await judge(good)).status, 'valid');
    assert.deepEqual(await judge({ ...good, envId: 'prod' }), { status: 'invalid', reason: 'footer-mismatch' });
    assert.deepEqual(await judge({ ...good, exp: 'soon' }), { status: 'invalid', reason: 'expired' });
  });
});

describe('test-mode tokens under a listed key that does not sign', () => {
  const hubOf = hubPerSuite({
    STK_HUB_TEST_MODE: '1',
    STK_PASETO_KEYS: 'knew:newer-secret-for-tests-01, kold:older-secret-for-tests-01',
  });

  test('kid picks a listed key, absent picks the first, an unlisted or non-string kid is 400', async () => {
    const hub = hubOf();
    const { project } = await createProject(hub);
    const exp = new Date(Date.now() + 60_000).toISOString();
    const claims = {
      sub: 'u1',
      roles: ['reader'],
      projectId: project,
      envId: 'dev',
      iat: new Date().toISOString(),
      exp,
    };
    const mint = (kid?: unknown) =>
      hub.call('POST', '/api/test/endusers/token', { project, env: 'dev', claims, kid }, { token: hub.owner });
    const keys = () => deriveAccessKeys(hub.deps.config.pasetoKeys, project, 'dev');
    for (const [kid, expected] of [
      [undefined, 'knew'],
      ['knew', 'knew'],
      ['kold', 'kold'],
    ] as const) {
      const answer = expectOk(await mint(kid));
      assert.deepEqual(answer.kids, ['knew', 'kold']);
      const verdict = verifyAccessToken(String(answer.access_token), keys);
      assert.equal(verdict.status === 'valid' && verdict.footer.kid, expected);
    }
    expectError(await mint('kgone'), 400, 'BAD_REQUEST', /'kid' names no key/);
    expectError(await mint(' kold'), 400, 'BAD_REQUEST', /'kid' names no key/);
    expectError(await mint(7), 400, 'BAD_REQUEST', /'kid' must be a string/);
  });
});
