/** Operators other than the stack's owner: signed up, invited to a project with a role, accepted. */
import assert from 'node:assert/strict';
import { expectStatus } from './assertions.ts';
import type { ScenarioContext } from './context.ts';

export interface ProjectOperator {
  readonly email: string;
  readonly token: string;
  /** Environment for `ctx.stk(…, { env })` so `stk` runs as this operator. */
  readonly env: Readonly<Record<string, string>>;
}

/** A new operator with no memberships: signed up and logged in over HTTP. */
export async function signUpOperator(context: ScenarioContext, label = 'operator'): Promise<ProjectOperator> {
  const email = `${context.uniqueName(label)}@example.com`;
  const password = 'password-1';
  expectStatus(await context.hub.post('/api/auth/signup', { email, password }), 200, 'operator signup');
  const login = await context.hub.post('/api/auth/login', { email, password });
  const token = (login.json as { token?: unknown } | undefined)?.token;
  assert.equal(typeof token, 'string', `operator login: ${login.text.slice(0, 200)}`);
  return { email, token: token as string, env: { STK_AUTH_TOKEN: token as string } };
}

/** A new operator holding `role` (admin | deployer | viewer) on `project`, its invite accepted. */
export async function projectOperator(
  context: ScenarioContext,
  project: string,
  role: string,
): Promise<ProjectOperator> {
  const operator = await signUpOperator(context, role);
  const owner = await context.operatorToken();
  expectStatus(
    await context.hub.post('/api/project/invite', { project, email: operator.email, role }, { token: owner }),
    200,
    `invite as ${role}`,
  );
  expectStatus(
    await context.hub.post('/api/project/accept', { project }, { token: operator.token }),
    200,
    'accept the invite',
  );
  return operator;
}
