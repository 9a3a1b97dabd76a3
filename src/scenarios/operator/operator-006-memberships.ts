import assert from 'node:assert/strict';
import { bareProject, defineScenario, expectEnvelope, expectStatus, signUpOperator } from '../kit/index.ts';
import type { HttpResponse, ScenarioContext } from '../kit/index.ts';

type Code = 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'BAD_REQUEST';
const STATUS: Record<Code, number> = { FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, BAD_REQUEST: 400 };

/** POSTs `body` to `/api/<path>` with `token`; expects 200 or the error envelope of `code`. */
async function call(ctx: ScenarioContext, token: string, path: string, body: object, code?: Code) {
  const answer = await ctx.hub.post(`/api${path}`, body, { token });
  const what = `POST ${path} ${JSON.stringify(body)}`;
  if (code) expectEnvelope(answer, { what, status: STATUS[code], code });
  else {
    expectStatus(answer, 200, what);
    // operator-rbac.md names no success body; Santokit's Hub answers these routes `{"ok": true}`.
    assert.equal((answer.json as { ok?: unknown }).ok, true, `${what}: ${answer.text}`);
  }
  return answer;
}

interface Listed {
  readonly email: string;
  readonly role: string;
  readonly status: string;
}

/** The membership list (`project` undefined: the org's); every entry has exactly the spec's four fields. */
async function list(ctx: ScenarioContext, token: string, project?: string): Promise<Listed[]> {
  const path = project === undefined ? '/api/org/members' : `/api/project/members?project=${project}`;
  const answer = await ctx.hub.get(path, { token });
  expectStatus(answer, 200, `GET ${path}`);
  const rows = answer.json as Record<string, unknown>[];
  for (const row of rows) assert.deepEqual(Object.keys(row).sort(), ['created_at', 'email', 'role', 'status']);
  return rows as unknown as Listed[];
}

function entry(rows: Listed[], email: string): string | undefined {
  const row = rows.find((r) => r.email === email);
  return row && `${row.role}/${row.status}`;
}

function orgRoleOf(answer: HttpResponse): unknown {
  expectStatus(answer, 200, 'whoami');
  return (answer.json as { org_role?: unknown }).org_role;
}

export const projectMemberships = defineScenario(
  'OPERATOR-006',
  'project memberships: a pending invite is replaced, set-role creates an active member, each is bound to its project',
  async (ctx) => {
    const owner = await ctx.operatorToken();
    const p = await bareProject(ctx, 'memp');
    const q = await bareProject(ctx, 'memq');
    const x = await signUpOperator(ctx, 'x');
    await call(ctx, owner, '/project/invite', { project: p, email: x.email, role: 'viewer' });
    // operator-rbac.md: inviting someone already pending replaces the pending role.
    await call(ctx, owner, '/project/invite', { project: p, email: x.email, role: 'deployer' });
    assert.equal(entry(await list(ctx, owner, p), x.email), 'deployer/pending');
    assert.equal(entry(await list(ctx, owner, q), x.email), undefined, 'an invite is bound to its project');
    await call(ctx, x.token, '/project/invite', { project: p, email: 'n@example.com', role: 'viewer' }, 'FORBIDDEN');
    expectEnvelope(await ctx.hub.get(`/api/project/members?project=${p}`, { token: x.token }), {
      what: 'a pending member lists members',
      status: 403,
      code: 'FORBIDDEN',
    });
    await call(ctx, x.token, '/project/accept', { project: q }, 'NOT_FOUND');
    await call(ctx, x.token, '/project/accept', { project: p });
    await call(ctx, x.token, '/project/accept', { project: p }, 'NOT_FOUND');
    assert.equal(entry(await list(ctx, x.token, p), x.email), 'deployer/active', 'a deployer lists members');
    await call(ctx, owner, '/project/invite', { project: p, email: x.email, role: 'admin' }, 'CONFLICT');
    await call(ctx, owner, '/project/remove', { project: q, user: x.email }, 'NOT_FOUND');
    assert.equal(entry(await list(ctx, owner, p), x.email), 'deployer/active');
    // A deployer is no project admin: it manages no members.
    await call(ctx, x.token, '/project/members/set-role', { project: p, user: x.email, role: 'admin' }, 'FORBIDDEN');
    await call(ctx, x.token, '/project/remove', { project: p, user: x.email }, 'FORBIDDEN');

    // set-role creates the membership, active, even for an email without an account yet.
    const w = `${ctx.uniqueName('w')}@example.com`;
    await call(ctx, owner, '/project/members/set-role', { project: p, user: w, role: 'viewer' });
    assert.equal(entry(await list(ctx, owner, p), w), 'viewer/active');
    assert.equal(entry(await list(ctx, owner, q), w), undefined, 'set-role is bound to its project');
    await call(ctx, owner, '/project/remove', { project: p, user: w });
    assert.equal(entry(await list(ctx, owner, p), w), undefined);
    const v = await signUpOperator(ctx, 'v');
    await call(ctx, owner, '/project/invite', { project: p, email: v.email, role: 'viewer' });
    await call(ctx, owner, '/project/remove', { project: p, user: v.email });
    await call(ctx, v.token, '/project/accept', { project: p }, 'NOT_FOUND');
    await call(ctx, owner, '/project/invite', { project: p, role: 'viewer' }, 'BAD_REQUEST');
    await call(ctx, owner, '/project/members/set-role', { project: p, user: x.email }, 'BAD_REQUEST');

    // errors.md order: the role (403) before existence (404), so project names do not leak.
    const ghost = ctx.uniqueName('ghost');
    for (const [path, body] of [
      ['/project/invite', { project: ghost, email: v.email, role: 'viewer' }],
      ['/project/members/set-role', { project: ghost, user: v.email, role: 'viewer' }],
      ['/project/remove', { project: ghost, user: v.email }],
    ] as const) {
      await call(ctx, owner, path, body, 'NOT_FOUND');
      await call(ctx, x.token, path, body, 'FORBIDDEN');
    }
    for (const [token, status, code] of [
      [owner, 404, 'NOT_FOUND'],
      [x.token, 403, 'FORBIDDEN'],
    ] as const) {
      const answer = await ctx.hub.get(`/api/project/members?project=${ghost}`, { token });
      expectEnvelope(answer, { what: 'members of a missing project', status, code });
    }
  },
);

export const orgMemberships = defineScenario(
  'OPERATOR-006',
  'org memberships: only an owner touches the owner role, the org keeps an active owner, removal acts at once',
  async (ctx) => {
    const owner = await ctx.operatorToken();
    const ownerEmail = ctx.stack.operator.email;
    const y = await signUpOperator(ctx, 'oadmin');
    const z = await signUpOperator(ctx, 'omember');
    await call(ctx, owner, '/org/invite', { email: y.email, role: 'admin' });
    await call(ctx, y.token, '/org/accept', {});
    await call(ctx, y.token, '/org/accept', {}, 'NOT_FOUND');
    await call(ctx, owner, '/org/invite', { email: y.email, role: 'member' }, 'CONFLICT');
    await call(ctx, y.token, '/org/invite', { email: z.email, role: 'member' });
    expectEnvelope(await ctx.hub.get('/api/org/members', { token: z.token }), {
      what: 'a pending org member lists the org',
      status: 403,
      code: 'FORBIDDEN',
    });
    await call(ctx, z.token, '/org/accept', {});
    assert.equal(entry(await list(ctx, z.token), z.email), 'member/active', 'an org member lists the org');
    await call(ctx, z.token, '/org/invite', { email: 'n@example.com', role: 'member' }, 'FORBIDDEN');

    // operator-rbac.md: only an org owner grants, changes or removes the owner role.
    await call(ctx, y.token, '/org/invite', { email: z.email, role: 'owner' }, 'FORBIDDEN');
    await call(ctx, y.token, '/org/members/set-role', { user: ownerEmail, role: 'admin' }, 'FORBIDDEN');
    await call(ctx, y.token, '/org/remove', { user: ownerEmail }, 'FORBIDDEN');
    assert.equal(entry(await list(ctx, owner), ownerEmail), 'owner/active');
    // The org keeps at least one active owner; a pending owner does not count.
    await call(ctx, owner, '/org/members/set-role', { user: ownerEmail, role: 'admin' }, 'CONFLICT');
    await call(ctx, owner, '/org/remove', { user: ownerEmail }, 'CONFLICT');
    // Setting the only owner's role to owner again leaves the org its owner.
    await call(ctx, owner, '/org/members/set-role', { user: ownerEmail, role: 'owner' });
    const w = await signUpOperator(ctx, 'oowner');
    await call(ctx, owner, '/org/invite', { email: w.email, role: 'owner' });
    await call(ctx, owner, '/org/members/set-role', { user: ownerEmail, role: 'admin' }, 'CONFLICT');
    assert.equal(orgRoleOf(await ctx.hub.get('/api/auth/whoami', { token: owner })), 'owner');
    // A pending owner invitation holds no owner role: changing or deleting it leaves the active owner alone.
    for (const finish of ['set-role', 'remove'] as const) {
      const pending = `${ctx.uniqueName('pendowner')}@example.com`;
      await call(ctx, owner, '/org/invite', { email: pending, role: 'owner' });
      if (finish === 'remove') await call(ctx, owner, '/org/remove', { user: pending });
      else await call(ctx, owner, '/org/members/set-role', { user: pending, role: 'member' });
    }
    await call(ctx, w.token, '/org/accept', {});
    assert.equal(orgRoleOf(await ctx.hub.get('/api/auth/whoami', { token: w.token })), 'owner');
    // With a second active owner, one of them may step down.
    await call(ctx, w.token, '/org/members/set-role', { user: w.email, role: 'admin' });
    assert.equal(orgRoleOf(await ctx.hub.get('/api/auth/whoami', { token: w.token })), 'admin');
    await call(ctx, owner, '/org/members/set-role', { user: w.email, role: 'owner' });
    await call(ctx, y.token, '/org/members/set-role', { user: w.email, role: 'member' }, 'FORBIDDEN');
    await call(ctx, owner, '/org/remove', { user: w.email });
    assert.equal(orgRoleOf(await ctx.hub.get('/api/auth/whoami', { token: w.token })), null);

    await call(ctx, y.token, '/org/members/set-role', { user: z.email, role: 'admin' });
    assert.equal(entry(await list(ctx, owner), z.email), 'admin/active');
    await call(ctx, y.token, '/org/remove', { user: z.email });
    await call(ctx, y.token, '/org/remove', { user: z.email }, 'NOT_FOUND');
    expectEnvelope(await ctx.hub.get('/api/org/members', { token: z.token }), {
      what: 'a removed org member lists the org',
      status: 403,
      code: 'FORBIDDEN',
    });
    await call(ctx, owner, '/org/remove', { user: y.email });
    await call(ctx, y.token, '/org/invite', { email: z.email, role: 'member' }, 'FORBIDDEN');
    assert.equal(entry(await list(ctx, owner), y.email), undefined);
  },
);
