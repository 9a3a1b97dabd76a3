import assert from 'node:assert/strict';
import { bootstrapProject, defineScenario, expectError, expectRows, expectStatus } from '../kit/index.ts';
import type { ScenarioContext } from '../kit/index.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PASSWORD = 'correct horse battery';

interface Session {
  access_token: string;
  sub: string;
  expires_in: number;
}

function footerOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[3] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

async function signup(ctx: ScenarioContext, project: string, email: string, password = PASSWORD, env = 'dev') {
  return ctx.hub.post('/api/endusers/signup', { project, env, email, password });
}

export const loginIssuesPaseto = defineScenario(
  'AUTH-001',
  'signup and login issue a PASETO access token bound to the project/env',
  async (ctx) => {
    const { project } = await bootstrapProject(ctx, 'basic');
    const email = `${ctx.uniqueName('user')}@example.com`;
    const signedUp = await signup(ctx, project, email);
    expectStatus(signedUp, 200, 'signup');
    const first = signedUp.json as Session;
    assert.match(first.access_token, /^v4\.local\./);
    assert.match(first.sub, UUID);
    assert.equal(first.expires_in, 3600);
    const cookie = signedUp.headers['set-cookie'] ?? '';
    assert.ok(cookie.startsWith(`stk_access_${project}_dev=${first.access_token};`), `cookie: ${cookie.slice(0, 80)}`);
    for (const attribute of ['HttpOnly', 'Path=/', 'Max-Age=3600'])
      assert.ok(cookie.includes(attribute), `cookie has ${attribute}`);
    const footer = footerOf(first.access_token);
    assert.ok(typeof footer.kid === 'string' && footer.kid !== '');
    assert.deepEqual([footer.project, footer.env], [project, 'dev']);

    const login = await ctx.hub.post('/api/endusers/login', { project, env: 'dev', email, password: PASSWORD });
    expectStatus(login, 200, 'login');
    const second = login.json as Session;
    assert.notEqual(second.access_token, first.access_token);
    assert.equal(second.sub, first.sub);

    const hints = { project, env: 'dev' };
    for (const token of [second.access_token, first.access_token]) {
      assert.ok(
        Array.isArray(expectRows(await ctx.bridge.call('db/users/select', { limit: 1 }, { bearer: token, ...hints }))),
      );
    }
    const noHints = await ctx.bridge.call('db/users/select', { limit: 1 }, { bearer: second.access_token });
    expectRows(noHints);
    const insert = await ctx.bridge.call(
      'db/users/insert',
      { values: { email: 'x@y.z' } },
      { bearer: second.access_token, ...hints },
    );
    expectError(insert, 403, 'FORBIDDEN');
    for (const response of [signedUp, login, noHints, insert])
      assert.ok(!response.text.includes(PASSWORD), 'no response contains the password');
  },
);

export const loginFailures = defineScenario(
  'AUTH-001',
  'wrong credentials, duplicates and bad input are refused',
  async (ctx) => {
    const { project } = await bootstrapProject(ctx, 'basic');
    const email = `${ctx.uniqueName('user')}@example.com`;
    const original = (await signup(ctx, project, email)).json as Session;
    const wrong = await ctx.hub.post('/api/endusers/login', {
      project,
      env: 'dev',
      email,
      password: 'not the password',
    });
    const body = expectError(wrong, 401, 'UNAUTHORIZED');
    assert.equal(body.message, 'invalid credentials');
    assert.equal(body.requestId, wrong.headers['x-request-id']);
    const unknown = expectError(
      await ctx.hub.post('/api/endusers/login', {
        project,
        env: 'dev',
        email: 'nobody@example.com',
        password: PASSWORD,
      }),
      401,
      'UNAUTHORIZED',
    );
    assert.equal(unknown.message, body.message, 'unknown user and wrong password look the same');

    expectError(await signup(ctx, project, email, 'another password'), 409, 'CONFLICT');
    expectError(
      await ctx.hub.post('/api/endusers/login', { project, env: 'dev', email, password: 'another password' }),
      401,
      'UNAUTHORIZED',
    );
    const again = await ctx.hub.post('/api/endusers/login', { project, env: 'dev', email, password: PASSWORD });
    expectStatus(again, 200);
    assert.equal((again.json as Session).sub, original.sub);

    const missing = await signup(ctx, ctx.uniqueName('nosuch'), email);
    expectError(missing, 404, 'NOT_FOUND');
    assert.equal(missing.headers['set-cookie'], undefined, 'no cookie on failure');
    expectError(await signup(ctx, project, 'not-an-email'), 400, 'BAD_REQUEST');
    expectError(await signup(ctx, project, `${ctx.uniqueName('u')}@example.com`, ''), 400, 'BAD_REQUEST');
    // No length rule beyond non-empty (AUTH-001's own example signs up with a 6-character password).
    const short = `${ctx.uniqueName('s')}@example.com`;
    expectStatus(await signup(ctx, project, short, 's3cr3t'), 200, 'a 6-character password');
    expectStatus(
      await ctx.hub.post('/api/endusers/login', { project, env: 'dev', email: short, password: 's3cr3t' }),
      200,
      'login with it',
    );
  },
);

export const tokenBinding = defineScenario(
  'AUTH-001',
  'the token works only in its own project/env and only unaltered',
  async (ctx) => {
    const { project } = await bootstrapProject(ctx, 'basic');
    const token = ((await signup(ctx, project, `${ctx.uniqueName('user')}@example.com`)).json as Session).access_token;
    const select = (credentials: Parameters<ScenarioContext['bridge']['call']>[2]) =>
      ctx.bridge.call('db/users/select', {}, credentials);

    const otherProject = await select({ bearer: token, project: `${project}-other`, env: 'dev' });
    expectError(otherProject, 403, 'FORBIDDEN');
    assert.equal((otherProject.json as { data?: unknown }).data, undefined);
    expectError(await select({ bearer: token, project, env: 'prod' }), 403, 'FORBIDDEN');

    const [v, local, payload = '', footer = ''] = token.split('.');
    const flipped = `${payload.slice(0, 10)}${payload[10] === 'A' ? 'B' : 'A'}${payload.slice(11)}`;
    expectError(await select({ bearer: [v, local, flipped, footer].join('.') }), 401, 'UNAUTHORIZED');
    const kid = footerOf(token).kid;
    const foreignFooter = Buffer.from(JSON.stringify({ kid, project: `${project}x`, env: 'dev' })).toString(
      'base64url',
    );
    expectError(await select({ bearer: [v, local, payload, foreignFooter].join('.') }), 401, 'UNAUTHORIZED');
    expectError(await select({ bearer: 'not-a-token' }), 401, 'UNAUTHORIZED');
    expectError(await select({ headers: { authorization: 'Basic dXNlcjpwdw==' } }), 401, 'UNAUTHORIZED');
    // Only the scheme Bearer carries a token, not a scheme whose name merely ends in it.
    expectError(await select({ headers: { authorization: `NotBearer ${token}` } }), 401, 'UNAUTHORIZED');
    expectError(await select({ bearer: await ctx.operatorToken() }), 401, 'UNAUTHORIZED');
    expectError(await select({ project, env: 'dev' }), 401, 'UNAUTHORIZED');
  },
);
