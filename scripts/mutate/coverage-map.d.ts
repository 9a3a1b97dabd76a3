export interface MutantCoverage {
  static?: Record<string, number>;
  perTest?: Record<string, Record<string, number>>;
}
export interface CoverageRun {
  seconds: number;
  processes: number;
  ids: string[];
}
export interface CoverageCache {
  key: string;
  idsKey?: string;
  file?: string;
  seconds: number;
  capabilities: Record<string, { seconds: number; processes: number; executed: number }>;
  mutants: Record<string, string[]>;
}
export declare const COVERAGE_OUT_ENV: string;
export declare const SCENARIO_SOURCES: readonly string[];
export declare const NOT_EXECUTED: string;
export declare function executedIds(coverage: MutantCoverage | null | undefined): Set<string>;
export declare function readCoverageDir(dir: string): { processes: number; ids: string[] };
export declare function mutantMap(byCapability: Record<string, readonly string[]>): Record<string, string[]>;
export declare function capabilitiesFor(
  cache: CoverageCache | undefined,
  id: string,
  claiming: readonly string[],
): string[];
export declare function guidedStatus(status: string, capabilities: readonly string[]): string;
export declare function scenarioSourcesHash(root: string, dirs?: readonly string[]): string;
export declare function coverageKey(inputs: { source: string; scenarioHash: string; settings: string }): string;
export declare function readCoverageCache(
  file: string,
  key: string | undefined,
  anyKey?: boolean,
): CoverageCache | undefined;
export declare function mutantIdsKey(inputs: { source: string; settings: string }): string;
export declare function readCoverageForReport(file: string, idsKey: string): CoverageCache | undefined;
export declare function coverageCache(inputs: {
  key: string;
  idsKey?: string;
  file?: string;
  runs: Record<string, CoverageRun>;
}): CoverageCache;
export declare function strykerSettings(root: string): string;
