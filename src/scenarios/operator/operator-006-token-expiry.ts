import assert from 'node:assert/strict';
import {
  bareProject,
  defineScenario,
  expectEnvelope,
  expectExit,
  expectStatus,
  expectStillAlive,
  operatorTokenFor,
  waitUntilExpired,
} from '../kit/index.ts';
import type { ScenarioContext } from '../kit/index.ts';

/** Long enough for a few calls on a loaded machine, short enough to wait out. */
const LIFE_MS = 3_000;

/** Routes of each kind an operator token opens: identity, org-wide, project-scoped reads, a write. */
function routes(project: string): { method: 'GET' | 'POST'; path: string; body?: unknown }[] {
  return [
    { method: 'GET', path: '/api/auth/whoami' },
    { method: 'GET', path: '/api/projects' },
    { method: 'GET', path: `/api/envs?project=${project}` },
    { method: 'GET', path: `/api/releases?project=${project}&env=dev` },
    { method: 'POST', path: '/api/envs', body: { project, env: 'expiry' } },
  ];
}

async function expectRefusedEverywhere(ctx: ScenarioContext, project: string, token: string, label: string) {
  for (const { method, path, body } of routes(project)) {
    const answer = await ctx.hub.request(method, path, { token, ...(body === undefined ? {} : { json: body }) });
    expectEnvelope(answer, { what: `${label}: ${method} ${path}`, status: 401, code: 'UNAUTHORIZED' });
  }
}

export const operatorTokenExpiry = defineScenario(
  'OPERATOR-006',
  'an operator token opens the Hub until its expiry; from then on every /api route and stk answer 401',
  async (ctx) => {
    const project = await bareProject(ctx, 'opexp');
    const owner = ctx.stack.operator;

    const living = await operatorTokenFor(ctx, owner, LIFE_MS);
    const whoami = await ctx.hub.get('/api/auth/whoami', { token: living.token });
    expectStatus(whoami, 200, 'whoami inside the token life');
    assert.deepEqual(whoami.json, { email: owner.email, org_role: 'owner' });
    const listed = await ctx.hub.get('/api/projects', { token: living.token });
    expectStatus(listed, 200, 'project list inside the token life');
    assert.ok(listed.text.includes(project), 'the owner sees the project');
    expectStillAlive(living, 'the token inside its life');
    // Santokit's Hub reads the token only after the exact prefix `Bearer ` (capital B, one space).
    const otherForms = {
      'lower-case bearer': `bearer ${living.token}`,
      'scheme Token': `Token ${living.token}`,
      'no scheme': living.token,
    };
    for (const [form, authorization] of Object.entries(otherForms)) {
      const answer = await ctx.hub.get('/api/auth/whoami', { headers: { authorization } });
      expectEnvelope(answer, { what: `the live token, ${form}`, status: 401, code: 'UNAUTHORIZED' });
    }

    for (const ttl of [-60_000, 0]) {
      const dead = await operatorTokenFor(ctx, owner, ttl);
      await expectRefusedEverywhere(ctx, project, dead.token, `a token whose expiry is ${ttl} ms after its issue`);
      const cli = await ctx.stk(['project', 'list'], { env: { STK_AUTH_TOKEN: dead.token } });
      expectExit(cli, 1);
      assert.match(cli.stderr, /401/, `stk with an expired token: ${cli.stderr}`);
    }
    // The control plane takes operator tokens only: an end user's access token is no operator credential.
    const endUser = await ctx.hub.post('/api/endusers/signup', {
      project,
      env: 'dev',
      email: `${ctx.uniqueName('enduser')}@example.com`,
      password: 'end-user-password',
    });
    expectStatus(endUser, 200, 'end-user signup');
    await expectRefusedEverywhere(
      ctx,
      project,
      (endUser.json as { access_token: string }).access_token,
      'end-user token',
    );
    const envs = await ctx.hub.get(`/api/envs?project=${project}`, { token: await ctx.operatorToken() });
    assert.ok(!envs.text.includes('"expiry"'), 'no refused write took effect');

    await waitUntilExpired(ctx, living);
    await expectRefusedEverywhere(ctx, project, living.token, 'the same token once its expiry passed');
    // Login is one of the two routes that need no token: an expired one in the header changes nothing.
    const again = await ctx.hub.post('/api/auth/login', owner, { token: living.token });
    expectStatus(again, 200, 'login with an expired token in the header');
    expectStatus(await ctx.hub.get('/api/auth/whoami', { token: (again.json as { token: string }).token }), 200);
  },
);
