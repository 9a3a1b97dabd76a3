/**
 * Shard reports → one run report, as if one machine had run everything.
 * Refused (exit 2): reports of different catalogs, shards that overlap (the
 * same shard twice, the same scenario twice, shards of different splits or
 * cut from different selections or timings). Shards of a split that were not given are
 * named in `merged.missingShards` and fail the merged run: a CI job that died
 * before uploading must not pass as green.
 */
import { ExitCode, UsageError } from '../errors.ts';
import type { RunReport, RunStatus, ScenarioResult, ShardReport } from '../model/results.ts';
import type { CapabilityDocument } from '../plan/types.ts';
import { countOutcomes, exitCodeFor, summariseCapabilities } from '../runner/outcome.ts';
import type { LoadedReport } from './read-reports.ts';

function sameCatalog(inputs: readonly LoadedReport[], current: string | undefined): string {
  const unmarked = inputs.find((input) => input.report.catalogHash === undefined);
  if (unmarked)
    throw new UsageError(
      `'${unmarked.path}' records no catalog fingerprint`,
      'Merge reports written by this version of santokit-it (results.json has "catalogHash").',
    );
  const hashes = new Map(inputs.map((input) => [input.report.catalogHash ?? '', input.path]));
  if (hashes.size > 1) {
    const listed = [...hashes].map(([hash, path]) => `${path} (${hash})`).join(', ');
    throw new UsageError(
      `these reports come from different catalogs: ${listed}`,
      'Merge the shards of one run, made from one commit.',
    );
  }
  const [hash = ''] = hashes.keys();
  if (current !== undefined && current !== hash) {
    throw new UsageError(
      `the reports come from another catalog (${hash}) than the one at --root (${current})`,
      'Run merge-reports in the checkout the shards ran from, or point --root at it.',
    );
  }
  return hash;
}

function describeShard(shard: ShardReport): string {
  return `${shard.index}/${shard.total}`;
}

/** Checks the shards form (part of) one split; returns the shards not given. */
function checkShards(inputs: readonly LoadedReport[]): number[] {
  const sharded = inputs.filter((input) => input.report.shard !== undefined);
  if (sharded.length === 0) return [];
  if (sharded.length < inputs.length) {
    const plain = inputs.find((input) => input.report.shard === undefined);
    throw new UsageError(
      `'${plain?.path}' is a whole run, the others are shards`,
      'Merge the shards of one split, or whole runs of disjoint selections.',
    );
  }
  const first = sharded[0]?.report.shard as ShardReport;
  const seen = new Map<number, string>();
  for (const { path, report } of sharded) {
    const shard = report.shard as ShardReport;
    if (shard.total !== first.total)
      throw new UsageError(
        `'${path}' is shard ${describeShard(shard)}, '${sharded[0]?.path}' is ${describeShard(first)}`,
        'Merge shards of one --shard i/n split.',
      );
    if (shard.strategy !== first.strategy || shard.split !== first.split) {
      const how =
        shard.strategy !== first.strategy
          ? `by ${first.strategy} and by ${shard.strategy}`
          : 'from different selections or durations';
      throw new UsageError(
        `the shards were cut differently (${how}): '${sharded[0]?.path}' and '${path}'`,
        'Run every shard with the same filters and the same .santokit-it/timings.json (or none), so they agree on the split.',
      );
    }
    const other = seen.get(shard.index);
    if (other !== undefined)
      throw new UsageError(
        `overlapping shards: ${describeShard(shard)} is both '${other}' and '${path}'`,
        'Give each shard once.',
      );
    seen.set(shard.index, path);
  }
  return Array.from({ length: first.total }, (_, index) => index + 1).filter((index) => !seen.has(index));
}

function joinScenarios(inputs: readonly LoadedReport[]): ScenarioResult[] {
  const owner = new Map<string, string>();
  const scenarios: ScenarioResult[] = [];
  for (const { path, report } of inputs) {
    for (const result of report.scenarios) {
      const other = owner.get(result.id);
      if (other !== undefined)
        throw new UsageError(
          `overlapping reports: '${result.id}' is in '${other}' and in '${path}'`,
          'Merge the shards of one split, or runs of disjoint selections.',
        );
      owner.set(result.id, path);
      scenarios.push(result);
    }
  }
  return scenarios;
}

/** Whole-run failures outrank scenario failures; the first in this list wins. */
const RUN_FAILURES: readonly RunStatus[] = ['invalid', 'stack-failed', 'interrupted'];

function mergedStatus(
  inputs: readonly LoadedReport[],
  scenarios: readonly ScenarioResult[],
  strict: boolean,
  missing: readonly number[],
): { status: RunStatus; exitCode: number } {
  for (const status of RUN_FAILURES) {
    const found = inputs.find((input) => input.report.status === status);
    if (found) return { status, exitCode: found.report.exitCode };
  }
  const exitCode = missing.length > 0 ? ExitCode.failed : exitCodeFor(scenarios, strict);
  return { status: exitCode === ExitCode.passed ? 'passed' : 'failed', exitCode };
}

function span(inputs: readonly LoadedReport[]): { startedAt: string; durationMs: number } {
  const starts = inputs.map((input) => Date.parse(input.report.startedAt));
  const ends = inputs.map((input, index) => (starts[index] ?? 0) + input.report.durationMs);
  const start = Math.min(...starts);
  return { startedAt: new Date(start).toISOString(), durationMs: Math.max(...ends) - start };
}

export function mergeReports(
  inputs: readonly LoadedReport[],
  documents: readonly CapabilityDocument[],
  currentCatalog?: string,
): RunReport {
  if (inputs.length === 0)
    throw new UsageError('nothing to merge', 'Give the results.json of each shard, or the folders holding them.');
  const catalogHash = sameCatalog(inputs, currentCatalog);
  const missingShards = checkShards(inputs);
  const scenarios = joinScenarios(inputs);
  const strict = inputs.some((input) => input.report.strict);
  const reports = inputs.map((input) => input.report);
  const stackFailure = reports.find((report) => report.stack?.failure)?.stack;
  const kind = reports.find((report) => report.stack)?.stack?.kind;
  const error =
    reports.find((report) => report.error)?.error ??
    (missingShards.length > 0
      ? {
          message: `shards missing from the merge: ${missingShards.join(', ')} of ${reports[0]?.shard?.total}`,
          hint: 'A shard that did not upload its results.json failed or was cancelled; see its job.',
        }
      : undefined);
  const validation = reports.find((report) => report.validation)?.validation;
  const teardownFailures = reports.flatMap((report) => report.teardownFailures ?? []);
  return {
    schemaVersion: reports[0]?.schemaVersion ?? 1,
    tool: 'santokit-it',
    ...span(inputs),
    ...mergedStatus(inputs, scenarios, strict, missingShards),
    strict,
    catalogHash,
    merged: {
      sources: inputs.map(({ path, report }) => ({
        path,
        ...(report.shard ? { shard: report.shard } : {}),
        startedAt: report.startedAt,
        durationMs: report.durationMs,
        status: report.status,
        scenarios: report.scenarios.length,
      })),
      missingShards,
    },
    ...(stackFailure ? { stack: stackFailure } : kind ? { stack: { kind } } : {}),
    counts: countOutcomes(scenarios),
    capabilities: summariseCapabilities(scenarios, documents),
    scenarios,
    ...(validation ? { validation } : {}),
    ...(error ? { error } : {}),
    ...(teardownFailures.length > 0 ? { teardownFailures } : {}),
  };
}
