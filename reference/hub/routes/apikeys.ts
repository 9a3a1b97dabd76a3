/** Project API keys `<key_id>.<secret>`: secrets hashed, ids opaque, names unique per project/env, revocation immediate. */
import { hashRandomSecret, randomToken } from '../crypto.ts';
import type { HubApp, HubDeps } from '../deps.ts';
import { badRequest, conflict, invalidRole, notFound } from '../../shared/http-error.ts';
import { name, str } from '../http.ts';
import { scopedBody, scopedQuery } from './scope.ts';
import { requireEnv } from './lookup.ts';

const ROLE = /^[a-z][a-z0-9_-]{0,62}$/;
const RESERVED = ['public', 'authenticated'];

function roles(value: unknown): string[] {
  if (!Array.isArray(value)) throw badRequest("field 'roles' must be a list of role names");
  const clean = value.map((role) => String(role));
  // OPERATOR-002: role bindings not valid for the project scope are 422.
  if (clean.length === 0) throw invalidRole("field 'roles' must name at least one role");
  for (const role of clean) {
    if (!ROLE.test(role)) throw invalidRole(`invalid role '${role.slice(0, 64)}'`);
    if (RESERVED.includes(role)) throw invalidRole(`role '${role}' is reserved and cannot be given to an API key`);
  }
  return clean;
}

export function registerApiKeyRoutes(app: HubApp, deps: HubDeps): void {
  const { store } = deps;

  app.post('/api/apikeys/create', async (c) => {
    const { body, project, env } = await scopedBody(c, deps, 'admin');
    const keyName = name(body, 'name');
    const keyRoles = roles(body.roles);
    await requireEnv(store, project, env);
    const id = `k${randomToken(9)}`.replaceAll(/[-_]/g, 'x');
    const secret = randomToken(24);
    const rows = await store.query(
      `INSERT INTO hub_api_keys (id, project, env, name, secret_hash, roles) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (project, env, name) DO NOTHING RETURNING id`,
      [id, project, env, keyName, hashRandomSecret(secret), JSON.stringify(keyRoles)],
    );
    if (rows.length === 0) throw conflict(`API key '${keyName}' already exists in ${project}/${env}`);
    return c.json({ key_id: id, name: keyName, roles: keyRoles, api_key: `${id}.${secret}` });
  });

  app.get('/api/apikeys/list', async (c) => {
    const { project, env } = await scopedQuery(c, deps, 'admin');
    await requireEnv(store, project, env);
    const rows = await store.query<{
      id: string;
      name: string;
      roles: string[];
      created_at: Date;
      revoked_at: Date | null;
    }>(
      `SELECT id, name, roles, created_at, revoked_at FROM hub_api_keys WHERE project = $1 AND env = $2 ORDER BY created_at DESC, name`,
      [project, env],
    );
    return c.json(
      rows.map((row) => ({ ...row, status: row.revoked_at ? 'revoked' : 'active', revoked: row.revoked_at !== null })),
    );
  });

  app.post('/api/apikeys/revoke', async (c) => {
    const { body, project, env } = await scopedBody(c, deps, 'admin');
    const keyId = str(body, 'key_id');
    await requireEnv(store, project, env);
    const rows = await store.query(
      `UPDATE hub_api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE project = $1 AND env = $2 AND (id = $3 OR name = $3) RETURNING id`,
      [project, env, keyId],
    );
    if (rows.length === 0) throw notFound('API key not found');
    await deps.events?.publish({ scope: 'apikey', key_id: (rows[0] as { id: string }).id });
    return c.json({ ok: true, key_id: (rows[0] as { id: string }).id, status: 'revoked' });
  });
}
