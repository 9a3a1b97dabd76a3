/**
 * What the HTML report's page script reads: the run report reshaped for
 * display. Hop-by-hop headers are dropped, JSON bodies indented, very long
 * bodies cut (results.json keeps them whole), and the step each failure is
 * about is marked, with the same rule the console uses.
 */
import type { RunReport, ScenarioError, ScenarioResult } from '../../model/results.ts';
import type { LogTail } from '../../model/stack.ts';
import type { CliRun, SqlRun, TranscriptEntry } from '../../model/transcript.ts';
import { failedEntryIndex } from '../failure-format.ts';
import { formatBody, shownHeaders, summarizeEntry, type Limit } from '../format-transcript.ts';

/** Generous: the page is for reading everything; only pathological bodies are cut. */
const PAGE_BODY_LIMIT: Limit = { lines: 2_000, chars: 64_000 };

export type StepView =
  | { readonly kind: 'note'; readonly summary: string; readonly text: string }
  | {
      readonly kind: 'http';
      readonly summary: string;
      readonly failed: boolean;
      readonly method: string;
      readonly url: string;
      readonly status: number;
      readonly durationMs: number;
      readonly requestHeaders: readonly [string, string][];
      readonly requestBody?: string;
      readonly responseHeaders: readonly [string, string][];
      readonly responseBody: string;
    }
  | ({ readonly kind: 'cli'; readonly summary: string; readonly failed: boolean } & CliRun)
  | ({ readonly kind: 'sql'; readonly summary: string; readonly failed: boolean } & SqlRun);

export interface AttemptView {
  readonly attempt: number;
  readonly passed: boolean;
  readonly durationMs?: number;
  readonly error?: ScenarioError;
  readonly steps: readonly StepView[];
  readonly logs: readonly LogTail[];
}

export interface ScenarioView {
  readonly id: string;
  readonly file: string;
  readonly line: number;
  readonly name: string;
  readonly capability: string;
  readonly domain: string;
  readonly capabilityStatus: string;
  readonly outcome: string;
  readonly durationMs: number;
  readonly attempts: number;
  readonly skipReason?: string;
  readonly runs: readonly AttemptView[];
}

export interface ReportData extends Omit<RunReport, 'scenarios' | 'validation'> {
  readonly scenarios: readonly ScenarioView[];
  readonly validationIssues: number;
}

function stepView(entry: TranscriptEntry, failed: boolean): StepView {
  const summary = summarizeEntry(entry);
  switch (entry.kind) {
    case 'note':
      return { kind: 'note', summary, text: entry.text };
    case 'http':
      return {
        kind: 'http',
        summary,
        failed,
        method: entry.method,
        url: entry.url,
        status: entry.status,
        durationMs: entry.durationMs,
        requestHeaders: shownHeaders(entry.requestHeaders),
        ...(entry.requestBody ? { requestBody: formatBody(entry.requestBody, PAGE_BODY_LIMIT) } : {}),
        responseHeaders: shownHeaders(entry.responseHeaders),
        responseBody: formatBody(entry.responseBody, PAGE_BODY_LIMIT),
      };
    case 'cli':
      return {
        ...entry,
        summary,
        failed,
        stdout: formatBody(entry.stdout, PAGE_BODY_LIMIT),
        stderr: formatBody(entry.stderr, PAGE_BODY_LIMIT),
      };
    case 'sql':
      return { ...entry, summary, failed };
  }
}

/** One attempt's view; only a failed attempt has a step that failed. */
export function attemptView(
  attempt: number,
  passed: boolean,
  error: ScenarioError | undefined,
  transcript: readonly TranscriptEntry[],
  logs: readonly LogTail[],
  durationMs?: number,
): AttemptView {
  const failed = passed ? -1 : failedEntryIndex(transcript, error);
  return {
    attempt,
    passed,
    ...(durationMs === undefined ? {} : { durationMs }),
    ...(error ? { error } : {}),
    steps: transcript.map((entry, index) => stepView(entry, index === failed)),
    logs,
  };
}

function scenarioView(result: ScenarioResult): ScenarioView {
  const last = attemptView(result.attempts, result.passed, result.error, result.transcript, result.logTails);
  const earlier = (result.earlierAttempts ?? []).map((attempt) =>
    attemptView(
      attempt.attempt,
      attempt.passed,
      attempt.error,
      attempt.transcript,
      attempt.logTails,
      attempt.durationMs,
    ),
  );
  return {
    id: result.id,
    file: result.file,
    line: result.line,
    name: result.name,
    capability: result.capability,
    domain: result.domain,
    capabilityStatus: result.capabilityStatus,
    outcome: result.outcome,
    durationMs: result.durationMs,
    attempts: result.attempts,
    ...(result.skipReason ? { skipReason: result.skipReason } : {}),
    runs: result.outcome === 'skipped' ? [] : [...earlier, last],
  };
}

export function reportData(report: RunReport): ReportData {
  const { scenarios, validation, ...rest } = report;
  return { ...rest, scenarios: scenarios.map(scenarioView), validationIssues: validation?.issues.length ?? 0 };
}
