/**
 * Scenario durations remembered between runs (`<root>/.santokit-it/timings.json`),
 * so a parallel run starts the longest scenarios first and does not end with
 * one long scenario running alone. Scenarios never timed go first: they may be
 * long. A missing or unreadable file only means file order.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ScenarioResult } from '../model/results.ts';

const FILE = '.santokit-it/timings.json';
const VERSION = 1;

export type Timings = ReadonlyMap<string, number>;

export function readTimings(root: string): Timings {
  try {
    const data = JSON.parse(readFileSync(join(root, FILE), 'utf8')) as { version?: unknown; scenarios?: unknown };
    if (data.version !== VERSION || typeof data.scenarios !== 'object' || data.scenarios === null) return new Map();
    return new Map(
      Object.entries(data.scenarios).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
    );
  } catch {
    return new Map();
  }
}

/** Indices of `ids`, longest known duration first, never-timed first of all; ties keep file order. */
export function longestFirst(ids: readonly string[], timings: Timings): number[] {
  const weight = (id: string) => timings.get(id) ?? Number.POSITIVE_INFINITY;
  return ids.map((_, index) => index).sort((a, b) => weight(ids[b] ?? '') - weight(ids[a] ?? '') || a - b);
}

/** Merges the durations of scenarios that ran to an end; best effort (a read-only checkout keeps file order). */
export function writeTimings(root: string, results: readonly ScenarioResult[]): void {
  const merged = new Map(readTimings(root));
  for (const result of results)
    if (result.outcome !== 'skipped' && result.attempts > 0) merged.set(result.id, result.durationMs);
  const path = join(root, FILE);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(
      `${path}.tmp`,
      `${JSON.stringify({ version: VERSION, scenarios: Object.fromEntries([...merged].sort()) }, null, 1)}\n`,
    );
    renameSync(`${path}.tmp`, path);
  } catch {
    // Timings only order the next run.
  }
}
