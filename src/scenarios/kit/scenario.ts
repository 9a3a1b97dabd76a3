/**
 * How a scenario module declares its scenarios. Modules under
 * `src/scenarios/` export `Scenario` values (or arrays of them) and import
 * nothing that starts a process, so the validator can load them freely.
 */
import { declareScenario, type Scenario as ScenarioOf, type ScenarioOptions } from '../../model/scenario.ts';
import type { ScenarioContext } from './context.ts';

export { isScenario, type ScenarioOptions } from '../../model/scenario.ts';

export type Scenario = ScenarioOf<ScenarioContext>;

export function defineScenario(
  capability: string,
  name: string,
  run: (context: ScenarioContext) => Promise<void>,
  options: ScenarioOptions = {},
): Scenario {
  return declareScenario(capability, name, run, options);
}
