/** Operator accounts: login, open signup (no rights until a membership is active), whoami. */
import { hashSecret, unknownAccountHash, verifySecret } from '../crypto.ts';
import type { HubApp, HubDeps } from '../deps.ts';
import { badRequest, conflict, unauthorized } from '../../shared/http-error.ts';
import { readBody, str } from '../http.ts';
import { issueOperatorToken, orgRole, requireOperator } from '../operators.ts';

/** Creates the bootstrap owner once; later starts leave an existing account alone. */
export async function ensureBootstrapOperator(deps: HubDeps): Promise<void> {
  const { email, password } = deps.config.operator;
  const existing = await deps.store.query(`SELECT 1 FROM hub_operators WHERE email = $1`, [email]);
  if (existing.length > 0) return;
  await deps.store.query(`INSERT INTO hub_operators (email, password_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
    email,
    await hashSecret(password, deps.config.passwordCost),
  ]);
  await deps.store.query(
    `INSERT INTO hub_org_members (email, role, status) VALUES ($1, 'owner', 'active') ON CONFLICT DO NOTHING`,
    [email],
  );
}

/** The email of the operator a login body names, or 401 `invalid credentials` (unknown email and wrong password alike). */
export async function checkOperatorLogin(
  { store, config }: Pick<HubDeps, 'store' | 'config'>,
  body: Record<string, unknown>,
): Promise<string> {
  const email = str(body, 'email');
  const password = str(body, 'password');
  const rows = await store.query<{ password_hash: string }>(
    `SELECT password_hash FROM hub_operators WHERE email = $1`,
    [email],
  );
  // An unknown email costs the same scrypt as a wrong password, so timing does not tell them apart.
  const matches = await verifySecret(password, rows[0]?.password_hash ?? unknownAccountHash(config.passwordCost));
  if (!rows[0] || !matches) throw unauthorized('invalid credentials');
  return email;
}

export function registerOperatorRoutes(app: HubApp, deps: HubDeps): void {
  app.post('/api/auth/login', async (c) => {
    const email = await checkOperatorLogin(deps, await readBody(c));
    return c.json({ token: issueOperatorToken(deps.config, email) });
  });

  app.post('/api/auth/signup', async (c) => {
    const body = await readBody(c);
    const email = str(body, 'email');
    const password = str(body, 'password');
    if (!email.includes('@')) throw badRequest('email must contain @');
    if (password.length < 8) throw badRequest('password must be at least 8 characters');
    const inserted = await deps.store.query(
      `INSERT INTO hub_operators (email, password_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING email`,
      [email, await hashSecret(password, deps.config.passwordCost)],
    );
    if (inserted.length === 0) throw conflict('operator already exists');
    return c.json({ ok: true, email });
  });

  app.get('/api/auth/whoami', async (c) => {
    const email = requireOperator(c, deps.config);
    return c.json({ email, org_role: (await orgRole(deps.store, email)) ?? null });
  });
}
