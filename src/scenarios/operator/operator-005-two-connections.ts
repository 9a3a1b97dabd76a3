/** OPERATOR-005's promote compatibility check with a release whose tables live on two connections. */
import assert from 'node:assert/strict';
import { bareProject, currentRelease, defineScenario, expectExit } from '../kit/index.ts';
import type { ScenarioContext } from '../kit/index.ts';

/** Gives the env a database of its own for each of `main` and `audit`. */
async function connectBoth(ctx: ScenarioContext, project: string, env: string): Promise<void> {
  for (const name of ['main', 'audit']) {
    const database = await ctx.db.create(ctx.uniqueName(`stk_${name}`));
    const scope = ['--project', project, '--env', env, '--name', name, '--engine', 'postgres'];
    expectExit(await ctx.stk(['connections', 'set', ...scope, '--db-url', database.serviceUrl]), 0);
  }
}

export const twoConnections = defineScenario(
  'OPERATOR-005',
  'a release over two connections promotes into an env where each connection holds its own tables',
  async (ctx) => {
    const project = await bareProject(ctx, 'promote2');
    const dir = ctx.fixture('two_connections');
    await connectBoth(ctx, project, 'dev');
    expectExit(await ctx.stk(['apply', '--project', project, '--env', 'dev', '--ref', 't1'], { cwd: dir }), 0);
    expectExit(await ctx.stk(['env', 'create', '--project', project, 'prod']), 0);
    await connectBoth(ctx, project, 'prod');
    // drift.md: the operator applies the schema to the target first; users then lives only on main's
    // database and events only on audit's, which is what each connection must hold.
    const schemaOnly = ['apply', '--project', project, '--env', 'prod', '--only', 'schema', '--ref', 't1'];
    expectExit(await ctx.stk(schemaOnly, { cwd: dir }), 0);
    const promoted = await ctx.stk(['release', 'promote', '--project', project, '--from', 'dev', '--to', 'prod']);
    expectExit(promoted, 0);
    assert.equal(await currentRelease(ctx, project, 'prod'), await currentRelease(ctx, project, 'dev'));
  },
);
