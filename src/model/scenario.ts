/**
 * What a scenario module exports. The catalog recognises scenarios by a
 * symbol rather than by shape, so it can load modules without knowing the
 * context they run in; `scenarios/kit` fixes that context for authors.
 */
const SCENARIO = Symbol.for('santokit-it.scenario');

export interface ScenarioOptions {
  /** Per-scenario timeout; overrides `--timeout`. */
  readonly timeoutMs?: number;
}

export interface Scenario<Context = unknown> {
  readonly [SCENARIO]: true;
  /** Capability id this scenario proves, e.g. `AUTH-001`. */
  readonly capability: string;
  /** Unique within its file; `test_refs` name it after `::`. */
  readonly name: string;
  readonly options: ScenarioOptions;
  /** Throws (an assertion) to fail; returns to pass. */
  readonly run: (context: Context) => Promise<void>;
}

export function declareScenario<Context>(
  capability: string,
  name: string,
  run: (context: Context) => Promise<void>,
  options: ScenarioOptions = {},
): Scenario<Context> {
  return { [SCENARIO]: true, capability, name, options, run };
}

export function isScenario(value: unknown): value is Scenario {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SCENARIO] === true;
}
