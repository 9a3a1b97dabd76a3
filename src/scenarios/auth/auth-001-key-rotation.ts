/**
 * Key rotation. auth-credentials.md: each project/env has an ordered key
 * list, new tokens use the first key, every listed key still verifies (so a
 * rotation logs no one out), and an unknown `kid` is 401. Santokit's
 * bridge-hub-protocol.md at fd5bceb has the Hub hand out the current and the
 * previous key together for that reason; the reference reads the list from
 * `STK_PASETO_KEYS` ("the first signs, all verify", reference/README.md),
 * and every santokit-it stack runs with two keys listed.
 */
import assert from 'node:assert/strict';
import { bootstrapProject, defineScenario, expectError, expectRows, signupAndLogin } from '../kit/index.ts';
import type { Credentials, ScenarioContext } from '../kit/index.ts';
import { mintToken } from '../kit/tokens.ts';

function footerOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[3] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The token with its footer replaced: payload and key unchanged, only the footer's words differ. */
function withFooter(token: string, footer: Record<string, unknown>): string {
  const [version, purpose, payload] = token.split('.');
  return [version, purpose, payload, Buffer.from(JSON.stringify(footer)).toString('base64url')].join('.');
}

/** As bearer and as the env's cookie, each without hints: the token alone names its project/env. */
function carriers(project: string, token: string): Credentials[] {
  return [{ bearer: token }, { cookies: { [`stk_access_${project}_dev`]: token } }];
}

const whoami = (ctx: ScenarioContext, credentials: Credentials) =>
  ctx.bridge.call('logics/whoami', undefined, credentials);

export const keyRotation = defineScenario(
  'AUTH-001',
  'the Hub signs with the first listed key; a token under an older listed key still works, an unlisted kid is 401',
  async (ctx) => {
    const { project } = await bootstrapProject(ctx, 'logics_call', { prefix: 'rotate' });
    const session = await signupAndLogin(ctx, project, 'dev');
    const roles = ['authenticated', 'reader'];
    const { kids } = await mintToken(ctx, { project, env: 'dev' }, { sub: session.sub, roles });
    assert.ok(kids.length >= 2, `the stack lists a key to sign with and an older one: ${JSON.stringify(kids)}`);
    assert.equal(new Set(kids).size, kids.length, `listed key ids are distinct: ${JSON.stringify(kids)}`);
    assert.equal(footerOf(session.accessToken).kid, kids[0], 'a real login signs with the first listed key');
    // The footer is readable without the key (auth-credentials.md), so a key id is only the name before the
    // colon of its `kid:secret` entry (reference/README.md), never the entry with its secret.
    for (const kid of kids) assert.ok(!/[:,\s]/.test(kid), 'every key id is a bare id, without its secret');

    for (const kid of kids.slice(1)) {
      const older = (await mintToken(ctx, { project, env: 'dev' }, { sub: session.sub, roles }, kid)).token;
      assert.deepEqual(footerOf(older), { kid, project, env: 'dev' });
      for (const credentials of carriers(project, older))
        assert.deepEqual(expectRows(await whoami(ctx, credentials)), [{ sub: session.sub, roles }], `kid ${kid}`);
      const unlisted = withFooter(older, { kid: `${kid}gone`, project, env: 'dev' });
      const relabelled = withFooter(session.accessToken, { kid, project, env: 'dev' });
      for (const token of [unlisted, relabelled])
        for (const credentials of carriers(project, token))
          expectError(await whoami(ctx, credentials), 401, 'UNAUTHORIZED');
    }
    for (const credentials of carriers(project, session.accessToken))
      assert.deepEqual(expectRows(await whoami(ctx, credentials)), [{ sub: session.sub, roles }], 'the login token');
  },
);
