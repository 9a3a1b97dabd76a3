import assert from 'node:assert/strict';
import { addEnv, bootstrapProject, defineScenario, expectEnvelope, expectExit, signUpOperator } from '../kit/index.ts';
import type { ProjectOperator, ScenarioContext } from '../kit/index.ts';

const DENIED = /403 Forbidden \(insufficient role\)/;

/** Runs `stk` as `who` (the stack owner when undefined); `exit` 0 or 1, `stderr` matched when given. */
async function stk(
  ctx: ScenarioContext,
  who: ProjectOperator | undefined,
  args: string[],
  exit: 0 | 1,
  stderr?: RegExp,
  cwd?: string,
) {
  const result = await ctx.stk(args, { ...(who ? { env: who.env } : {}), ...(cwd ? { cwd } : {}) });
  expectExit(result, exit);
  if (stderr) assert.match(result.stderr, stderr, `${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

export const projectRoles = defineScenario(
  'OPERATOR-006',
  'project roles: pending invites grant nothing, viewer < deployer < admin, removal acts on the next request',
  async (ctx) => {
    const { project, dir } = await bootstrapProject(ctx, 'basic', { prefix: 'rbac' });
    const scope = ['--project', project, '--env', 'dev'];
    const x = await signUpOperator(ctx, 'x');
    assert.equal((await stk(ctx, x, ['project', 'list'], 0)).trim(), '');
    await stk(ctx, x, ['apikey', 'list', ...scope], 1, DENIED);

    await stk(ctx, undefined, ['project', 'invite', x.email, '--project', project, '--role', 'viewer'], 0);
    assert.match(
      await stk(ctx, undefined, ['project', 'members', 'list', '--project', project], 0),
      new RegExp(`^${x.email} role=viewer status=pending$`, 'm'),
    );
    await stk(ctx, x, ['release', 'list', ...scope], 1, /403/);
    await stk(ctx, x, ['project', 'accept', '--project', project], 0);
    assert.match(
      await stk(ctx, undefined, ['project', 'members', 'list', '--project', project], 0),
      new RegExp(`^${x.email} role=viewer status=active$`, 'm'),
    );
    await stk(ctx, x, ['release', 'list', ...scope], 0);
    await stk(ctx, x, ['release', 'current', ...scope], 0);
    await stk(ctx, x, ['apply', ...scope, '--ref', 'x1'], 1, DENIED, dir);
    await stk(ctx, x, ['apikey', 'create', ...scope, '--name', 'nope', '--roles', 'admin'], 1, DENIED);

    await stk(
      ctx,
      undefined,
      ['project', 'members', 'set-role', x.email, '--project', project, '--role', 'deployer'],
      0,
    );
    await stk(ctx, x, ['apply', ...scope, '--ref', 'x2'], 0, undefined, dir);
    // A prod env whose database already holds the release's tables (promote runs no DDL, OPERATOR-005).
    const prod = await addEnv(ctx, project, 'prod');
    await ctx.db.query(
      prod.name,
      'CREATE TABLE users (id text PRIMARY KEY, email text NOT NULL UNIQUE, name text, created_at timestamp NOT NULL DEFAULT now())',
    );
    await stk(ctx, x, ['release', 'promote', '--project', project, '--from', 'dev', '--to', 'prod'], 0);
    await stk(ctx, x, ['apikey', 'create', ...scope, '--name', 'nope', '--roles', 'admin'], 1, DENIED);
    await stk(ctx, undefined, ['project', 'members', 'set-role', x.email, '--project', project, '--role', 'admin'], 0);
    assert.match(
      await stk(ctx, x, ['apikey', 'create', ...scope, '--name', 'allowed', '--roles', 'admin'], 0),
      /^API Key \(store securely\): /m,
    );

    await stk(ctx, undefined, ['project', 'remove', x.email, '--project', project], 0);
    await stk(ctx, x, ['apikey', 'list', ...scope], 1, DENIED);
    assert.ok(!(await stk(ctx, undefined, ['project', 'members', 'list', '--project', project], 0)).includes(x.email));
  },
);

export const orgRoles = defineScenario(
  'OPERATOR-006',
  'org admins reach every project unless an explicit project role says less; org members reach none',
  async (ctx) => {
    const p = await bootstrapProject(ctx, 'basic', { prefix: 'rbacorg' });
    const y = await signUpOperator(ctx, 'y');
    await stk(ctx, undefined, ['org', 'invite', y.email, '--role', 'admin'], 0);
    await stk(ctx, y, ['org', 'accept'], 0);
    assert.match(
      await stk(ctx, undefined, ['org', 'members', 'list'], 0),
      new RegExp(`^${y.email} role=admin status=active$`, 'm'),
    );
    const q = await bootstrapProject(ctx, 'basic', { prefix: 'rbacorg' });
    await stk(ctx, y, ['apply', '--project', p.project, '--env', 'dev', '--ref', 'y1'], 0, undefined, p.dir);
    await stk(ctx, y, ['apply', '--project', q.project, '--env', 'dev', '--ref', 'y1'], 0, undefined, q.dir);
    await stk(ctx, undefined, ['project', 'invite', y.email, '--project', p.project, '--role', 'viewer'], 0);
    await stk(ctx, y, ['project', 'accept', '--project', p.project], 0);
    await stk(ctx, y, ['apply', '--project', p.project, '--env', 'dev', '--ref', 'y2'], 1, /403/, p.dir);
    await stk(ctx, y, ['apply', '--project', q.project, '--env', 'dev', '--ref', 'y2'], 0, undefined, q.dir);
    await stk(ctx, y, ['org', 'members', 'set-role', y.email, '--role', 'owner'], 1, DENIED);
    // operator-rbac.md: an org admin, not only the owner, creates projects and invites org members.
    await stk(ctx, y, ['project', 'create', ctx.uniqueName('byy')], 0);

    const z = await signUpOperator(ctx, 'z');
    await stk(ctx, y, ['org', 'invite', z.email, '--role', 'member'], 0);
    await stk(ctx, z, ['org', 'accept'], 0);
    await stk(ctx, z, ['release', 'list', '--project', p.project, '--env', 'dev'], 1, /403/);
    await stk(ctx, z, ['project', 'create', ctx.uniqueName('byz')], 1, /403/);
  },
);

export const rbacRefusals = defineScenario(
  'OPERATOR-006',
  'bad role names, duplicate invites, missing invitations and bad credentials are refused',
  async (ctx) => {
    const { project } = await bootstrapProject(ctx, 'basic', { prefix: 'rbacbad' });
    const admin = await signUpOperator(ctx, 'padmin');
    await stk(ctx, undefined, ['project', 'invite', admin.email, '--project', project, '--role', 'admin'], 0);
    await stk(ctx, admin, ['project', 'accept', '--project', project], 0);
    const x = await signUpOperator(ctx, 'x');
    await stk(
      ctx,
      admin,
      ['project', 'invite', x.email, '--project', project, '--role', 'owner'],
      1,
      /422 Unprocessable Entity \(invalid project role\)/,
    );
    assert.ok(!(await stk(ctx, undefined, ['project', 'members', 'list', '--project', project], 0)).includes(x.email));
    await stk(
      ctx,
      undefined,
      ['org', 'invite', x.email, '--role', 'deployer'],
      1,
      /422 Unprocessable Entity \(invalid org role\)/,
    );

    const viewer = await signUpOperator(ctx, 'viewer');
    await stk(ctx, undefined, ['project', 'invite', viewer.email, '--project', project, '--role', 'viewer'], 0);
    await stk(ctx, viewer, ['project', 'accept', '--project', project], 0);
    await stk(ctx, viewer, ['project', 'invite', x.email, '--project', project, '--role', 'owner'], 1, DENIED);
    await stk(
      ctx,
      undefined,
      ['project', 'invite', viewer.email, '--project', project, '--role', 'admin'],
      1,
      /409 Conflict/,
    );
    assert.match(
      await stk(ctx, undefined, ['project', 'members', 'list', '--project', project], 0),
      new RegExp(`^${viewer.email} role=viewer status=active$`, 'm'),
    );
    await stk(ctx, viewer, ['release', 'list', '--project', project, '--env', 'dev'], 0);
    await stk(ctx, x, ['project', 'accept', '--project', project], 1, /404 Not Found/);
    await stk(ctx, undefined, ['project', 'remove', 'nobody@example.com', '--project', project], 1, /404 Not Found/);

    const wrong = expectEnvelope(
      await ctx.hub.post('/api/auth/login', { email: x.email, password: 'wrong-password' }),
      { what: 'wrong password', status: 401, code: 'UNAUTHORIZED' },
    );
    const unknown = expectEnvelope(
      await ctx.hub.post('/api/auth/login', {
        email: `${ctx.uniqueName('nobody')}@example.com`,
        password: 'password-1',
      }),
      { what: 'unknown email', status: 401, code: 'UNAUTHORIZED' },
    );
    assert.equal(wrong.message, 'invalid credentials');
    assert.equal(unknown.message, wrong.message);
    expectEnvelope(await ctx.hub.post('/api/auth/signup', { email: x.email, password: 'password-2' }), {
      what: 'existing email',
      status: 409,
      code: 'CONFLICT',
    });
    expectEnvelope(
      await ctx.hub.post('/api/auth/signup', { email: `${ctx.uniqueName('short')}@example.com`, password: 'seven77' }),
      { what: '7-character password', status: 400, code: 'BAD_REQUEST' },
    );
    expectEnvelope(await ctx.hub.post('/api/auth/signup', { email: ctx.uniqueName('noat'), password: 'password-1' }), {
      what: 'email without @',
      status: 400,
      code: 'BAD_REQUEST',
    });
    const eight = await ctx.hub.post('/api/auth/signup', {
      email: `${ctx.uniqueName('eight')}@example.com`,
      password: 'eight888',
    });
    assert.equal(eight.status, 200, `an 8-character password is long enough: ${eight.text.slice(0, 200)}`);
    assert.equal((eight.json as { ok?: unknown }).ok, true);
    const last = x.token.at(-1) === 'A' ? 'B' : 'A';
    for (const token of [`${x.token.slice(0, -1)}${last}`, 'not-a-hub-token']) {
      for (const path of [
        '/api/projects',
        `/api/envs?project=${project}`,
        `/api/releases?project=${project}&env=dev`,
      ]) {
        expectEnvelope(await ctx.hub.get(path, { token }), {
          what: `${path} with a bad token`,
          status: 401,
          code: 'UNAUTHORIZED',
        });
      }
    }
  },
);
