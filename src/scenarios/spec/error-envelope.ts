/**
 * plan/spec/errors.md across every failing surface: the Hub's routes, the
 * Bridge's `/call`, and failures that happen before any handler runs.
 */
import { bootstrapProject, createApiKey, defineScenario, expectEnvelope, expectStatus } from '../kit/index.ts';
import type { HttpClient, HttpResponse } from '../kit/index.ts';

const raw = (
  client: HttpClient,
  path: string,
  body: string,
  contentType = 'application/json',
  headers: Record<string, string> = {},
) => client.request('POST', path, { body, headers: { 'content-type': contentType, ...headers } });

export const hubEnvelope = defineScenario(
  'LOGICS-007',
  'every Hub failure is the error envelope with a matching X-Request-Id and no secret',
  async (ctx) => {
    const token = await ctx.operatorToken();
    const { project } = await bootstrapProject(ctx, 'spec_contracts', { prefix: 'specerr' });
    const dbPassword = 'pw-never-shown-7c1e';
    const secrets = [token, dbPassword, 'wrong-password'];
    const cases: [string, Promise<HttpResponse>, number, string][] = [
      ['malformed JSON', raw(ctx.hub, '/api/auth/login', '{"email":'), 400, 'BAD_REQUEST'],
      ['a JSON array body', raw(ctx.hub, '/api/auth/login', '[]'), 400, 'BAD_REQUEST'],
      [
        'text/plain body',
        raw(ctx.hub, '/api/auth/login', JSON.stringify(ctx.stack.operator), 'text/plain'),
        400,
        'BAD_REQUEST',
      ],
      ['missing fields', ctx.hub.post('/api/auth/login', {}), 400, 'BAD_REQUEST'],
      [
        'a body over 1 MiB',
        ctx.hub.post('/api/projects', { project: 'x'.repeat(1_100_000) }, { token }),
        400,
        'BAD_REQUEST',
      ],
      [
        'wrong password',
        ctx.hub.post('/api/auth/login', { email: ctx.stack.operator.email, password: 'wrong-password' }),
        401,
        'UNAUTHORIZED',
      ],
      ['no operator token', ctx.hub.get('/api/projects'), 401, 'UNAUTHORIZED'],
      ['a tampered token', ctx.hub.get('/api/projects', { token: `${token.slice(0, -4)}AAAA` }), 401, 'UNAUTHORIZED'],
      ['unknown route', ctx.hub.get('/api/no-such-route', { token }), 404, 'NOT_FOUND'],
      ['the root path, which no route serves', ctx.hub.get('/', { token }), 404, 'NOT_FOUND'],
      ['wrong method', ctx.hub.request('DELETE', '/api/auth/login'), 404, 'NOT_FOUND'],
      [
        'unknown project',
        ctx.hub.post('/api/envs', { project: ctx.uniqueName('nosuch'), env: 'dev' }, { token }),
        404,
        'NOT_FOUND',
      ],
      ['duplicate project', ctx.hub.post('/api/projects', { project }, { token }), 409, 'CONFLICT'],
      [
        'connection test to a closed port',
        ctx.hub
          .post(
            '/api/connections/set',
            {
              project,
              env: 'dev',
              name: 'broken',
              engine: 'postgres',
              db_url: `postgres://stk:${dbPassword}@127.0.0.1:1/nowhere`,
            },
            { token },
          )
          .then(() => ctx.hub.post('/api/connections/test', { project, env: 'dev', name: 'broken' }, { token })),
        400,
        'BAD_REQUEST',
      ],
    ];
    await checkAll(cases, secrets);
  },
);

export const bridgeEnvelope = defineScenario(
  'LOGICS-007',
  'every /call failure is the error envelope with a matching X-Request-Id and no secret',
  async (ctx) => {
    const { project, env } = await bootstrapProject(ctx, 'spec_contracts', { prefix: 'specerr' });
    const admin = await createApiKey(ctx, project, env, 'admin');
    const reader = await createApiKey(ctx, project, env, 'reader', 'reader');
    const as = (apiKey: string) => ({ apiKey, project, env });
    const email = `${ctx.uniqueName('taken')}@example.com`;
    expectStatus(await ctx.bridge.call('db/users/insert', { values: { email } }, as(admin)), 200, 'first insert');
    const call = (body: string, key = admin, contentType = 'application/json') =>
      raw(ctx.bridge.http, '/call', body, contentType, {
        'x-santokit-api-key': key,
        'x-santokit-project': project,
        'x-santokit-env': env,
      });
    const cases: [string, Promise<HttpResponse>, number, string][] = [
      ['malformed JSON', call('{"path":'), 400, 'BAD_REQUEST'],
      ['text/plain body', call(JSON.stringify({ path: 'db/users/select' }), admin, 'text/plain'), 400, 'BAD_REQUEST'],
      ['params not an object', ctx.bridge.call('db/users/select', 'all', as(admin)), 400, 'BAD_REQUEST'],
      ['no path', call('{"params":{}}'), 400, 'BAD_REQUEST'],
      ['no credential', ctx.bridge.call('db/users/select', {}, { project, env }), 401, 'UNAUTHORIZED'],
      [
        'an unknown API key',
        ctx.bridge.call('db/users/select', {}, as(`${admin.slice(0, -6)}xxxxxx`)),
        401,
        'UNAUTHORIZED',
      ],
      [
        'a role without a rule',
        ctx.bridge.call('db/users/insert', { values: { email: 'r@example.com' } }, as(reader)),
        403,
        'FORBIDDEN',
      ],
      ['unknown table', ctx.bridge.call('db/nosuch/select', {}, as(admin)), 404, 'NOT_FOUND'],
      ['unknown logic', ctx.bridge.call('logics/nosuch', {}, as(admin)), 404, 'NOT_FOUND'],
      ['unknown route', ctx.bridge.http.get('/no-such-route'), 404, 'NOT_FOUND'],
      [
        'undeclared column',
        ctx.bridge.call('db/users/insert', { values: { email: 'c@example.com', shoe_size: 44 } }, as(admin)),
        400,
        'SCHEMA_VALIDATION_FAILED',
      ],
      ['duplicate unique value', ctx.bridge.call('db/users/insert', { values: { email } }, as(admin)), 409, 'CONFLICT'],
      ['missing logic param', ctx.bridge.call('logics/rename', { email }, as(admin)), 400, 'BAD_REQUEST'],
    ];
    // The duplicate's message must not echo the stored value, nor any response the keys.
    await checkAll(cases, [admin, reader, email]);
  },
);

export const requestIds = defineScenario(
  'LOGICS-007',
  'every response carries a fresh X-Request-Id, never the one the client sent',
  async (ctx) => {
    const { project, env } = await bootstrapProject(ctx, 'spec_contracts', { prefix: 'specrid' });
    const admin = await createApiKey(ctx, project, env, 'admin');
    const chosen = { 'x-request-id': 'chosen-by-the-client' };
    const responses = [
      await ctx.hub.get('/healthz', { headers: chosen }),
      await ctx.hub.get('/api/projects', { headers: chosen }),
      await ctx.bridge.call('db/users/select', {}, { apiKey: admin, project, env, headers: chosen }),
      await ctx.bridge.call('db/nosuch/select', {}, { apiKey: admin, project, env, headers: chosen }),
    ];
    const ids = responses.map((response) => response.headers['x-request-id'] ?? '');
    for (const [index, id] of ids.entries()) {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
        throw new Error(
          `response ${index + 1} (${responses[index]?.status}) has X-Request-Id '${id}', expected a fresh UUID`,
        );
      }
    }
    if (new Set(ids).size !== ids.length) throw new Error(`request ids repeat: ${ids.join(', ')}`);
  },
);

async function checkAll(
  cases: readonly [string, Promise<HttpResponse>, number, string][],
  secrets: readonly string[],
): Promise<void> {
  for (const [what, pending, status, code] of cases) expectEnvelope(await pending, { what, status, code, secrets });
}
