/** OPERATOR-008 with more than one connection in an env, and who may read drift at all. */
import assert from 'node:assert/strict';
import { bootstrapProject, defineScenario, expectExit, expectStatus, signUpOperator } from '../kit/index.ts';

interface DriftAnswer {
  readonly drifted: boolean;
  readonly connections: readonly { readonly connection: string; readonly issues: readonly string[] }[];
}

export const oneOfTwoDrifted = defineScenario(
  'OPERATOR-008',
  'one drifted connection of two makes the env drifted; operators without an active project role may not read drift',
  async (ctx) => {
    const { project, env, database, dir } = await bootstrapProject(ctx, 'basic', { prefix: 'drift2' });
    const scope = ['--project', project, '--env', env];
    const audit = await ctx.db.create(ctx.uniqueName('stk_audit'));
    const connect = ['connections', 'set', ...scope, '--name', 'audit', '--engine', 'postgres'];
    expectExit(await ctx.stk([...connect, '--db-url', audit.serviceUrl]), 0);
    // drift.md: an apply re-baselines only the connections its declared schema uses; `basic` uses main
    // alone, so audit still has no baseline and is not listed.
    expectExit(await ctx.stk(['apply', ...scope, '--ref', 'v2'], { cwd: dir }), 0);
    const applied = JSON.parse((await ctx.stk(['schema', 'drift', ...scope, '--json'])).stdout) as DriftAnswer;
    assert.deepEqual(applied.connections, [{ connection: 'main', issues: [] }], 'the apply baselined main only');
    const snapshot = await ctx.stk(['schema', 'snapshot', ...scope]);
    expectExit(snapshot, 0);
    assert.match(snapshot.stdout, /^- audit: 0 tables$/m);

    // drift.md: an env is drifted while ANY of its baselined connections has drift; main still has none.
    await ctx.db.query(audit.name, 'CREATE TABLE handmade (id int)');
    const drift = await ctx.stk(['schema', 'drift', ...scope]);
    expectExit(drift, 1);
    assert.match(drift.stdout, /^- audit: extra table handmade$/m);
    assert.match(drift.stdout, /^- main: no drift$/m);
    const answer = JSON.parse((await ctx.stk(['schema', 'drift', ...scope, '--json'])).stdout) as DriftAnswer;
    assert.equal(answer.drifted, true, 'drifted is true');
    assert.deepEqual(answer.connections, [
      { connection: 'audit', issues: ['extra table handmade'] },
      { connection: 'main', issues: [] },
    ]);

    // drift.md's 409 message: each drifted connection in name order, separated by ';'.
    await ctx.db.query(database.name, 'ALTER TABLE users ADD COLUMN nickname text');
    const release = ['apply', ...scope, '--ref', 'v3', '--only', 'permissions,release'];
    const refused = await ctx.stk(release, { cwd: dir });
    expectExit(refused, 1);
    assert.match(
      refused.stderr,
      /^Error: request failed: 409 Conflict \(schema drift detected on connection audit: extra table handmade; on connection main: extra column users\.nickname\)$/m,
    );

    // operator-rbac.md: reading drift needs at least project viewer; signing up gives no role,
    // and an invitation gives none until it is accepted.
    const stranger = await signUpOperator(ctx, 'stranger');
    const invited = await signUpOperator(ctx, 'invited');
    expectStatus(
      await ctx.hub.post(
        '/api/project/invite',
        { project, email: invited.email, role: 'viewer' },
        { token: await ctx.operatorToken() },
      ),
      200,
      'invite as viewer',
    );
    for (const [who, operator] of [
      ['an operator without a membership', stranger],
      ['an operator whose invitation is pending', invited],
    ] as const) {
      const denied = await ctx.stk(['schema', 'drift', ...scope], { env: operator.env });
      expectExit(denied, 1);
      assert.match(denied.stderr, /403 Forbidden \(insufficient role\)/, who);
    }
  },
);
