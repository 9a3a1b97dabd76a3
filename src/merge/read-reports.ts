/**
 * The inputs of `merge-reports`: results.json files, or folders holding one
 * (a CI job's uploaded output folder), or folders of such folders (what a
 * download of every shard's artifact looks like), read and checked to be
 * santokit-it run reports.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UsageError } from '../errors.ts';
import { REPORT_SCHEMA_VERSION, type RunReport } from '../model/results.ts';
import { RESULTS_FILE } from '../report/json-reporter.ts';

export interface LoadedReport {
  /** As the user sees it: relative to the working directory when inside it. */
  readonly path: string;
  readonly report: RunReport;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** results.json in `dir`, else in its sub-folders (two levels down at most), sorted. */
function reportsIn(dir: string, depth = 0): string[] {
  const own = join(dir, RESULTS_FILE);
  if (!isDirectory(own) && statSafe(own)) return [own];
  if (depth >= 2) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort()
    .flatMap((name) => reportsIn(join(dir, name), depth + 1));
}

function statSafe(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function findReportFiles(inputs: readonly string[]): string[] {
  const files = inputs.flatMap((input) => {
    if (isDirectory(input)) {
      const found = reportsIn(input);
      if (found.length === 0)
        throw new UsageError(
          `no ${RESULTS_FILE} in '${input}'`,
          'Give the output folder of each shard (run with --reporter json), or their results.json files.',
        );
      return found;
    }
    if (!statSafe(input))
      throw new UsageError(`no such report '${input}'`, 'Give results.json files, or folders holding them.');
    return [input];
  });
  return [...new Set(files)];
}

export function readReport(file: string, cwd: string): LoadedReport {
  const shown = relative(cwd, file).startsWith('..') ? file : relative(cwd, file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `cannot read '${shown}': ${error instanceof Error ? error.message : String(error)}`,
      'Give results.json files written by santokit-it --reporter json.',
    );
  }
  const report = parsed as Partial<RunReport>;
  if (
    report.tool !== 'santokit-it' ||
    report.schemaVersion !== REPORT_SCHEMA_VERSION ||
    !Array.isArray(report.scenarios) ||
    !Array.isArray(report.capabilities)
  ) {
    throw new UsageError(
      `'${shown}' is not a santokit-it results file (schemaVersion ${REPORT_SCHEMA_VERSION})`,
      'Give results.json files written by santokit-it --reporter json.',
    );
  }
  return { path: shown, report: parsed as RunReport };
}
