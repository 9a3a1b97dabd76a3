import assert from 'node:assert/strict';
import {
  bareProject,
  bootstrapProject,
  createOidcBrowser,
  defineScenario,
  expectError,
  expectExit,
  expectStatus,
  idpOf,
  IDP_CLIENTS,
} from '../kit/index.ts';
import type { ScenarioContext } from '../kit/index.ts';

const SECRET = 's3cret-value';
const APP = 'https://app.example.test/auth/callback';

interface ProviderBody {
  name: string;
  project: string;
  env: string;
  issuer: string;
  client_id: string;
  redirect_uris: string[];
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  created_at: string;
}

function createArgs(project: string, env: string, issuer: string, extra: readonly string[] = []): string[] {
  return [
    'oidc',
    'provider',
    'create',
    '--project',
    project,
    '--env',
    env,
    '--name',
    'idp',
    '--issuer',
    issuer,
    '--client-id',
    IDP_CLIENTS.main.id,
    '--client-secret',
    SECRET,
    '--redirect-uri',
    APP,
    ...extra,
  ];
}

/** `stk oidc provider show` of the provider `name` in `project`/dev. */
function showArgs(project: string, name: string): string[] {
  return ['oidc', 'provider', 'show', '--project', project, '--env', 'dev', '--name', name];
}

async function listed(
  ctx: ScenarioContext,
  project: string,
  env: string,
): Promise<{ items: ProviderBody[]; raw: string }> {
  const list = await ctx.stk(['oidc', 'provider', 'list', '--project', project, '--env', env, '--json']);
  expectExit(list, 0);
  return { items: JSON.parse(list.stdout) as ProviderBody[], raw: list.stdout };
}

export const providerFromDiscovery = defineScenario(
  'AUTH-002',
  'a provider registered from discovery is listed and shown without its secret',
  async (ctx) => {
    const { project } = await bootstrapProject(ctx, 'basic');
    const idp = idpOf(ctx);
    expectStatus(await ctx.hub.post('/api/envs', { project, env: 'prod' }, { token: await ctx.operatorToken() }), 200);
    const created = await ctx.stk([...createArgs(project, 'dev', idp.issuer), '--json']);
    expectExit(created, 0);
    const body = JSON.parse(created.stdout) as ProviderBody;
    assert.deepEqual(
      [body.name, body.project, body.env, body.issuer, body.client_id, body.redirect_uris],
      ['idp', project, 'dev', idp.issuer, IDP_CLIENTS.main.id, [APP]],
    );
    const discovery = await discoveryOf(ctx);
    assert.deepEqual(
      [body.authorization_endpoint, body.token_endpoint, body.jwks_uri],
      [discovery.authorization_endpoint, discovery.token_endpoint, discovery.jwks_uri],
    );
    assert.ok(!created.stdout.includes(SECRET), 'the create answer has no secret');

    const list = await listed(ctx, project, 'dev');
    assert.deepEqual(list.items, [body], 'exactly the provider, as created');
    assert.ok(!list.raw.includes(SECRET), 'the list has no secret');
    const show = await ctx.stk([...showArgs(project, 'idp'), '--json']);
    expectExit(show, 0);
    assert.deepEqual(JSON.parse(show.stdout), body);
    const raw = await ctx.hub.get(`/api/oidc/providers/idp`, {
      query: { project, env: 'dev' },
      token: await ctx.operatorToken(),
    });
    expectStatus(raw, 200);
    assert.ok(!raw.text.includes(SECRET), 'the raw show bytes have no secret');

    expectExit(await ctx.stk(createArgs(project, 'prod', idp.issuer)), 0);
    const other = await bareProject(ctx, 'oidcq');
    expectExit(await ctx.stk(createArgs(other, 'dev', idp.issuer)), 0);
    for (const [scope, env] of [
      [project, 'dev'],
      [project, 'prod'],
      [other, 'dev'],
    ] as const) {
      const items = await listedOverHttp(ctx, scope, env);
      assert.deepEqual(
        items.map((item) => [item.project, item.env, item.name]),
        [[scope, env, 'idp']],
        `${scope}/${env} lists its own provider only`,
      );
    }

    const again = await ctx.stk(createArgs(project, 'dev', idp.issuer, ['--client-id', IDP_CLIENTS.other.id]));
    expectExit(again, 1);
    assert.match(again.stderr, /409/);
    assert.deepEqual(await listedOverHttp(ctx, project, 'dev'), [body], 'the stored provider is unchanged');
  },
);

/** `GET /api/oidc/providers` (the list `stk` prints), without a CLI process per check. */
async function listedOverHttp(ctx: ScenarioContext, project: string, env: string): Promise<ProviderBody[]> {
  const answer = await ctx.hub.get('/api/oidc/providers', {
    query: { project, env },
    token: await ctx.operatorToken(),
  });
  expectStatus(answer, 200, 'provider list');
  assert.ok(!answer.text.includes(SECRET), 'no list carries the secret');
  return answer.json as ProviderBody[];
}

/**
 * The provider's discovery document as the Hub sees it. Fetched from the
 * runner's side (the browser maps the issuer origin to the published port);
 * the provider names its endpoints after the host it was asked on, so that
 * origin is mapped back to the issuer's.
 */
async function discoveryOf(ctx: ScenarioContext): Promise<Record<string, unknown>> {
  const idp = idpOf(ctx);
  const answer = await createOidcBrowser(ctx).get(`${idp.issuer}/.well-known/openid-configuration`);
  assert.equal(answer.status, 200, 'the provider serves its discovery document');
  const [inNetwork, reachable] = [new URL(idp.issuer).origin, new URL(idp.url).origin];
  const document = JSON.parse(answer.text) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(document).map(([key, value]) => [
      key,
      typeof value === 'string' && value.startsWith(reachable) ? `${inNetwork}${value.slice(reachable.length)}` : value,
    ]),
  );
}

export const providerRefusals = defineScenario(
  'AUTH-002',
  'invalid, unreachable and unauthorised provider registrations are refused',
  async (ctx) => {
    const { project } = await bootstrapProject(ctx, 'basic');
    const idp = idpOf(ctx);
    const token = await ctx.operatorToken();
    const notAUrl = await ctx.stk(createArgs(project, 'dev', 'not a url'));
    expectExit(notAUrl, 1);
    assert.match(notAUrl.stderr, /request failed: 400/);
    const body = {
      project,
      env: 'dev',
      name: 'idp',
      client_id: IDP_CLIENTS.main.id,
      client_secret: SECRET,
      redirect_uris: [APP],
    };
    const refused = async (issuer: string) =>
      expectError(await ctx.hub.post('/api/oidc/providers', { ...body, issuer }, { token }), 400, 'BAD_REQUEST');
    await refused('http://idp.example.test');
    const started = Date.now();
    await refused('http://127.0.0.1:1');
    assert.ok(Date.now() - started < 10_000, 'an unreachable discovery fails within 10 s');
    await refused(`${idp.issuer}/`);

    const noRedirect = await ctx.stk(createArgs(project, 'dev', idp.issuer).slice(0, -2));
    expectExit(noRedirect, 1);
    assert.equal(noRedirect.stderr, 'Error: missing --redirect-uri\n');
    expectError(
      await ctx.hub.post('/api/oidc/providers', { ...body, issuer: idp.issuer, redirect_uris: [] }, { token }),
      400,
      'BAD_REQUEST',
    );

    const deployer = await operatorWithRole(ctx, project, 'deployer');
    const forbidden = await ctx.stk(createArgs(project, 'dev', idp.issuer), { env: { STK_AUTH_TOKEN: deployer } });
    expectExit(forbidden, 1);
    assert.match(forbidden.stderr, /403 Forbidden \(insufficient role\)/);
    const missing = await ctx.stk(showArgs(project, 'nosuch'));
    expectExit(missing, 1);
    assert.match(missing.stderr, /404/);
    assert.deepEqual(await listedOverHttp(ctx, project, 'dev'), [], 'nothing was stored');
  },
);

/** A fresh operator with `role` on the project; its token. */
async function operatorWithRole(ctx: ScenarioContext, project: string, role: string): Promise<string> {
  const email = `${ctx.uniqueName(role)}@example.com`;
  const password = 'operator-password';
  expectStatus(await ctx.hub.post('/api/auth/signup', { email, password }), 200, 'operator signup');
  const grant = await ctx.hub.post(
    '/api/project/members/set-role',
    { project, user: email, role },
    { token: await ctx.operatorToken() },
  );
  expectStatus(grant, 200, 'set-role');
  const login = await ctx.hub.post('/api/auth/login', { email, password });
  expectStatus(login, 200, 'operator login');
  return String((login.json as { token?: unknown }).token);
}

export const providerFromExplicitEndpoints = defineScenario(
  'AUTH-002',
  "a provider registered with AUTH-002's auth_url and token_url needs no discovery and its flow starts at that auth_url",
  async (ctx) => {
    const project = await bareProject(ctx, 'oidcx');
    const issuer = 'https://accounts.example.invalid';
    const body = {
      project,
      env: 'dev',
      name: 'explicit',
      issuer,
      client_id: 'fake-client-id',
      client_secret: SECRET,
      redirect_uris: [APP],
      auth_url: `${issuer}/o/oauth2/auth`,
      token_url: `${issuer}/token`,
      userinfo_url: `${issuer}/userinfo`,
    };
    const created = await ctx.hub.post('/api/oidc/providers', body, { token: await ctx.operatorToken() });
    expectStatus(
      created,
      201,
      'registration with explicit endpoints (the issuer is not reachable, so no discovery may run)',
    );
    const provider = created.json as ProviderBody & { id: string };
    assert.deepEqual(
      [provider.id, provider.name, provider.authorization_endpoint, provider.token_endpoint],
      ['explicit', 'explicit', body.auth_url, body.token_url],
    );
    assert.ok(!created.text.includes(SECRET), 'the secret is never shown');
    expectError(await ctx.hub.post('/api/oidc/providers', body, { token: await ctx.operatorToken() }), 409, 'CONFLICT');
    const start = await ctx.hub.get('/oidc/explicit/start', {
      query: { mode: 'login', project, env: 'dev', redirect_uri: APP },
    });
    expectStatus(start, 302, 'the flow starts');
    assert.ok(
      String(start.headers.location ?? '').startsWith(`${body.auth_url}?`),
      `redirects to the registered auth_url: ${String(start.headers.location)}`,
    );
    expectError(
      await ctx.hub.post(
        '/api/oidc/providers',
        { ...body, name: 'half', token_url: undefined },
        { token: await ctx.operatorToken() },
      ),
      400,
      'BAD_REQUEST',
    );
    expectError(
      await ctx.hub.post(
        '/api/oidc/providers',
        { ...body, name: 'plain', issuer: 'http://invalid.local' },
        { token: await ctx.operatorToken() },
      ),
      400,
      'BAD_REQUEST',
    );
  },
);
