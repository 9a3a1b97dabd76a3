/** Connections the way an operator sets them: with `stk`, as OPERATOR-001 and OPERATOR-007 prove. */
import type { StkResult } from '../../stack/types.ts';
import type { ScenarioContext } from './context.ts';

/** `stk connections set` of connection `main` in `env`; the result as it came, for the scenario to judge. */
export function setMainConnection(
  ctx: ScenarioContext,
  target: { readonly project: string; readonly env: string },
  dbUrl: string,
  engine = 'postgres',
): Promise<StkResult> {
  const { project, env } = target;
  return ctx.stk([
    'connections',
    'set',
    '--project',
    project,
    '--env',
    env,
    '--name',
    'main',
    '--engine',
    engine,
    '--db-url',
    dbUrl,
  ]);
}
