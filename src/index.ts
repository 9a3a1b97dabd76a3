/** Public API for scenario authors: `import { defineScenario } from 'santokit-it'`. */
export { defineScenario, isScenario, type Scenario, type ScenarioOptions } from './scenarios/kit/scenario.ts';
export type { ScenarioContext } from './scenarios/kit/context.ts';
export type { StackHandles, StkResult } from './stack/types.ts';
export type { RunReport, ScenarioResult, Outcome } from './model/results.ts';
