/**
 * How a scenario module declares its scenarios. Modules under
 * `src/scenarios/` export `Scenario` values (or arrays of them) and import
 * nothing that starts a process, so the validator can load them freely.
 */
import type { ScenarioContext } from './context.ts';

const SCENARIO = Symbol.for('santokit-it.scenario');

export interface ScenarioOptions {
  /** Per-scenario timeout; overrides `--timeout`. */
  readonly timeoutMs?: number;
}

export interface Scenario {
  readonly [SCENARIO]: true;
  /** Capability id this scenario proves, e.g. `AUTH-001`. */
  readonly capability: string;
  /** Unique within its file; `test_refs` name it after `::`. */
  readonly name: string;
  readonly options: ScenarioOptions;
  /** Throws (an assertion) to fail; returns to pass. */
  readonly run: (context: ScenarioContext) => Promise<void>;
}

export function defineScenario(
  capability: string,
  name: string,
  run: (context: ScenarioContext) => Promise<void>,
  options: ScenarioOptions = {},
): Scenario {
  return { [SCENARIO]: true, capability, name, options, run };
}

export function isScenario(value: unknown): value is Scenario {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SCENARIO] === true;
}
