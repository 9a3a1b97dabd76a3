/**
 * OIDC provider configuration per project/env (AUTH-002): project admins
 * register, list and show providers; the client secret is sealed at rest and
 * never returned. The login/link flow (AUTH-004) is routes/oidc-flow.ts.
 */
import type { HubApp, HubDeps } from '../deps.ts';
import { badRequest, conflict, notFound } from '../../shared/http-error.ts';
import { name, optionalStr, str, type Body } from '../http.ts';
import { checkEndpoint, checkIssuer, checkRedirectUris, discover, type Endpoints } from '../oidc-discovery.ts';
import { requireEnv } from './lookup.ts';
import { scopedBody, scopedQuery } from './scope.ts';

// `id` is the provider's name: AUTH-002 answers with the registered provider's id or name.
const COLUMNS = `name AS id, name, project, env, issuer, client_id, redirect_uris, authorization_endpoint, token_endpoint, jwks_uri, created_at`;

/**
 * The endpoints the request names: `auth_url` / `token_url` (AUTH-002's names) or
 * `authorization_endpoint` / `token_endpoint` (discovery's), and optionally `jwks_uri`.
 * With both endpoints given no discovery runs; a missing `jwks_uri` is then looked up
 * from the issuer when an ID token must be verified. With neither, undefined.
 */
function givenEndpoints(body: Body): Endpoints | undefined {
  const authorization = optionalStr(body, 'authorization_endpoint') ?? optionalStr(body, 'auth_url');
  const token = optionalStr(body, 'token_endpoint') ?? optionalStr(body, 'token_url');
  const jwks = optionalStr(body, 'jwks_uri');
  if (authorization === undefined && token === undefined && jwks === undefined) return undefined;
  if (authorization === undefined || token === undefined)
    throw badRequest('give both auth_url and token_url (or neither, to use discovery)');
  return {
    authorization_endpoint: checkEndpoint('auth_url', authorization),
    token_endpoint: checkEndpoint('token_url', token),
    jwks_uri: jwks === undefined ? '' : checkEndpoint('jwks_uri', jwks),
  };
}

export function registerOidcRoutes(app: HubApp, deps: HubDeps): void {
  const { store } = deps;

  app.post('/api/oidc/providers', async (c) => {
    const { body, project, env } = await scopedBody(c, deps, 'admin');
    await requireEnv(store, project, env);
    const provider = name(body, 'name');
    const redirectUris = checkRedirectUris(body.redirect_uris);
    const issuer = str(body, 'issuer');
    const clientId = str(body, 'client_id');
    const clientSecret = str(body, 'client_secret');
    const given = givenEndpoints(body);
    checkIssuer(issuer, deps.config.testMode, deps.config.testHttpHosts);
    const endpoints = given ?? (await discover(issuer));
    const rows = await store.query(
      `INSERT INTO hub_oidc_providers (project, env, name, issuer, client_id, sealed_client_secret, redirect_uris, authorization_endpoint, token_endpoint, jwks_uri)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [
        project,
        env,
        provider,
        issuer,
        clientId,
        deps.sealer.seal(clientSecret),
        JSON.stringify(redirectUris),
        endpoints.authorization_endpoint,
        endpoints.token_endpoint,
        endpoints.jwks_uri,
      ],
    );
    if (rows.length === 0) throw conflict('provider already exists');
    return c.json(rows[0], 201);
  });

  app.get('/api/oidc/providers', async (c) => {
    const { project, env } = await scopedQuery(c, deps, 'admin');
    await requireEnv(store, project, env);
    return c.json(
      await store.query(
        `SELECT ${COLUMNS} FROM hub_oidc_providers WHERE project = $1 AND env = $2 ORDER BY created_at DESC, name`,
        [project, env],
      ),
    );
  });

  app.get('/api/oidc/providers/:name', async (c) => {
    const { project, env } = await scopedQuery(c, deps, 'admin');
    await requireEnv(store, project, env);
    const rows = await store.query(
      `SELECT ${COLUMNS} FROM hub_oidc_providers WHERE project = $1 AND env = $2 AND name = $3`,
      [project, env, c.req.param('name')],
    );
    if (!rows[0]) throw notFound('provider not found');
    return c.json(rows[0]);
  });
}
