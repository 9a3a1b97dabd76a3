/**
 * What `--last-failed` reruns: `<root>/.santokit-it/last-failed.json`, kept by
 * every run whatever its reporters, so no `--reporter json` is needed. A
 * scenario enters when it fails, is flaky (or passes unexpectedly under
 * --strict) and leaves when it next runs to a pass, so a narrower run (one
 * capability, --last-failed itself) keeps the failures it did not run.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunReport, ScenarioResult } from '../model/results.ts';
import type { LastFailed } from '../plan/narrow.ts';

const FILE = '.santokit-it/last-failed.json';
const VERSION = 1;

interface FailedRecord {
  readonly version: typeof VERSION;
  readonly updatedAt: string;
  /** Scenario id → the outcome that put it here. */
  readonly scenarios: Readonly<{ [id: string]: string }>;
}

function failing(result: ScenarioResult, strict: boolean): boolean {
  return result.outcome === 'failed' || result.outcome === 'flaky' || (strict && result.outcome === 'unexpected-pass');
}

function readRecord(root: string): FailedRecord | undefined {
  try {
    const data = JSON.parse(readFileSync(join(root, FILE), 'utf8')) as Partial<FailedRecord>;
    if (data.version !== VERSION || typeof data.scenarios !== 'object' || data.scenarios === null) return undefined;
    return { version: VERSION, updatedAt: String(data.updatedAt ?? ''), scenarios: data.scenarios };
  } catch {
    return undefined;
  }
}

/** Undefined when no run has recorded anything here yet. */
export function readLastFailed(root: string): LastFailed | undefined {
  const record = readRecord(root);
  if (record === undefined) return undefined;
  return { ids: new Set(Object.keys(record.scenarios)), ...(record.updatedAt ? { recordedAt: record.updatedAt } : {}) };
}

/** Best effort, like timings: a read-only checkout only loses --last-failed. */
export function writeLastFailed(root: string, report: RunReport): void {
  const scenarios = new Map(Object.entries(readRecord(root)?.scenarios ?? {}));
  for (const result of report.scenarios) {
    if (result.attempts === 0) continue;
    if (failing(result, report.strict)) scenarios.set(result.id, result.outcome);
    else scenarios.delete(result.id);
  }
  const path = join(root, FILE);
  const record: FailedRecord = {
    version: VERSION,
    updatedAt: new Date(Date.parse(report.startedAt) + report.durationMs).toISOString(),
    scenarios: Object.fromEntries([...scenarios].sort()),
  };
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.tmp`, `${JSON.stringify(record, null, 1)}\n`);
    renameSync(`${path}.tmp`, path);
  } catch {
    // Only --last-failed reads it.
  }
}
