/** What a run produces: per-scenario results, per-capability summaries, the run report. */
import type { CapabilityStatus } from './capability.ts';
import type { LogTail, StackKind } from './stack.ts';
import type { TranscriptEntry } from './transcript.ts';
import type { ValidationReport } from './validation.ts';

/**
 * Status-aware outcome (DESIGN §5): failures of planned/in_progress
 * capabilities are expected; their passes are unexpected.
 */
export type Outcome = 'passed' | 'failed' | 'flaky' | 'expected-failure' | 'unexpected-pass' | 'skipped';

export const OUTCOMES: readonly Outcome[] = [
  'passed',
  'failed',
  'flaky',
  'expected-failure',
  'unexpected-pass',
  'skipped',
];

export interface ScenarioError {
  readonly message: string;
  readonly stack?: string;
  readonly expected?: string;
  readonly actual?: string;
  readonly timedOut?: boolean;
}

/** What every result carries, whatever its outcome (runner/scenario-result.ts makes it, once). */
export interface ScenarioMeta {
  readonly id: string;
  readonly file: string;
  readonly name: string;
  readonly line: number;
  readonly capability: string;
  readonly domain: string;
  /** `implemented` when the capability is missing from the catalog: a failure is then a failure. */
  readonly capabilityStatus: CapabilityStatus;
  /** The known-failure baseline entry that applied (`--expectations`): it made a failure expected, or a pass unexpected. */
  readonly expectation?: {
    readonly expect: 'fail' | 'skip';
    readonly reason: string;
    readonly file: string;
    readonly line: number;
  };
}

interface ScenarioRun extends ScenarioMeta {
  /** Attempts made (0 for a scenario that never started). */
  readonly attempts: number;
  readonly durationMs: number;
  readonly transcript: readonly TranscriptEntry[];
  /** The service log lines of the last attempt (by its request ids, else its time window). */
  readonly logTails: readonly LogTail[];
  /** A retried scenario's attempts before the last one, oldest first; the last one is the result itself. */
  readonly earlierAttempts?: readonly AttemptRecord[];
}

/** The scenario's own last attempt passed; the outcome says what that means for its capability. */
export interface PassedResult extends ScenarioRun {
  readonly outcome: 'passed' | 'flaky' | 'unexpected-pass';
  readonly passed: true;
  readonly error?: never;
  readonly skipReason?: never;
}

/** The scenario's own last attempt failed; `expected-failure` when its capability is not implemented yet. */
export interface FailedResult extends ScenarioRun {
  readonly outcome: 'failed' | 'expected-failure';
  readonly passed: false;
  readonly error?: ScenarioError;
  readonly skipReason?: never;
}

/** Never ran to an end: interrupted, bailed, the stack failed, a baseline `skip`, or skipped by the test itself. */
export interface SkippedResult extends ScenarioRun {
  readonly outcome: 'skipped';
  /** Kept in results.json (schema 1) for readers that test it; always false. */
  readonly passed: false;
  readonly error?: never;
  readonly skipReason: string;
}

/** One scenario's result: a union on `outcome` (and on `passed`). */
export type ScenarioResult = PassedResult | FailedResult | SkippedResult;

/** One attempt of a retried scenario, as it ended. */
export interface AttemptRecord {
  readonly attempt: number;
  readonly passed: boolean;
  readonly durationMs: number;
  readonly error?: ScenarioError;
  readonly transcript: readonly TranscriptEntry[];
  readonly logTails: readonly LogTail[];
}

export interface CapabilitySummary {
  readonly id: string;
  readonly title: string;
  readonly domain: string;
  readonly status: CapabilityStatus;
  readonly scenarios: number;
  readonly outcome: Outcome;
  readonly durationMs: number;
}

export type RunStatus = 'passed' | 'failed' | 'interrupted' | 'stack-failed' | 'invalid';

export interface StackReport {
  readonly kind: StackKind;
  readonly hubUrl?: string;
  readonly bridgeUrl?: string;
  readonly startMs?: number;
  readonly failure?: {
    readonly service: string;
    readonly waitedFor: string;
    readonly exitCode?: number | null;
    readonly logTail: readonly string[];
  };
}

export interface ShardReport {
  readonly index: number;
  readonly total: number;
  /** `duration`: balanced by timings.json; `id`: contiguous by scenario id (no timings). */
  readonly strategy: 'duration' | 'id';
  /** Fingerprint of the selection and durations the split was cut from: equal on every shard of one split. */
  readonly split?: string;
}

export interface MergeReport {
  readonly sources: readonly {
    readonly path: string;
    readonly shard?: ShardReport;
    readonly startedAt: string;
    readonly durationMs: number;
    readonly status: RunStatus;
    readonly scenarios: number;
  }[];
  /** Shards of an `i/n` split that were not given (1-based). */
  readonly missingShards: readonly number[];
}

export const REPORT_SCHEMA_VERSION = 1;

export interface RunReport {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly tool: 'santokit-it';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly status: RunStatus;
  readonly exitCode: number;
  readonly strict: boolean;
  /** Fingerprint of the catalog the run selected from; shards of one run share it. */
  readonly catalogHash?: string;
  /** The slice of the selection this run ran (`--shard i/n`). */
  readonly shard?: ShardReport;
  /** Set on a report made by `merge-reports`: the reports it joined. */
  readonly merged?: MergeReport;
  readonly stack?: StackReport;
  readonly counts: Readonly<Record<Outcome, number>>;
  readonly capabilities: readonly CapabilitySummary[];
  readonly scenarios: readonly ScenarioResult[];
  readonly validation?: ValidationReport;
  readonly error?: { readonly message: string; readonly hint?: string };
  /** Teardowns that failed or overran their deadline: something may be left behind. */
  readonly teardownFailures?: readonly { readonly name: string; readonly message: string }[];
}
