import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { loadCatalog } from '../../plan/load-catalog.ts';
import { catalogHash } from '../../plan/catalog-hash.ts';
import { findReportFiles, readReport } from '../../merge/read-reports.ts';
import { mergeReports } from '../../merge/merge-reports.ts';
import { createRedactor } from '../../redact/redactor.ts';
import { createReporters } from '../../report/create-reporters.ts';
import { renderCoverageMatrix } from '../../report/matrix.ts';
import { redactReporter } from '../../report/redact-reporter.ts';
import { multiplexReporters, type Reporter } from '../../report/reporter.ts';
import { createStepSummaryReporter } from '../../report/step-summary.ts';
import { writeLastFailed } from '../../runner/last-failed.ts';
import { writeTimings } from '../../runner/timings.ts';
import type { CliIo } from '../io.ts';
import { resolveFrom } from '../options.ts';

export const MERGE_REPORTERS = ['list', 'json', 'junit', 'html'];
export const MATRIX_FILE = 'coverage-matrix.md';

export interface MergeReportsFlags {
  readonly root: string;
  readonly outputDir: string;
  readonly reporter?: string[];
  readonly color?: boolean;
}

/**
 * `santokit-it merge-reports <inputs...>`: one report from the shards' —
 * the reporters' files, the coverage matrix, the GitHub step summary — and
 * the durations and failures they recorded, so the next split and
 * `--last-failed` know them. Exits as the merged run would have.
 */
export async function mergeReportsCommand(
  inputs: readonly string[],
  flags: MergeReportsFlags,
  io: CliIo,
): Promise<number> {
  const screen = io.screen(flags.color);
  const root = resolveFrom(io.cwd, flags.root);
  const catalog = await loadCatalog(root);
  const loaded = findReportFiles(inputs.map((input) => resolveFrom(io.cwd, input))).map((file) =>
    readReport(file, io.cwd),
  );
  const merged = mergeReports(loaded, catalog.documents, catalogHash(catalog));
  const outputDir = resolveFrom(io.cwd, flags.outputDir);
  const summary = io.env.GITHUB_STEP_SUMMARY;
  const reporters: Reporter[] = [
    ...createReporters(flags.reporter ?? MERGE_REPORTERS, screen, outputDir, { cwd: io.cwd }),
    ...(summary ? [createStepSummaryReporter(summary)] : []),
  ];
  await redactReporter(multiplexReporters(reporters), createRedactor()).onRunEnd(merged);
  await mkdir(outputDir, { recursive: true });
  await writeFile(join(outputDir, MATRIX_FILE), renderCoverageMatrix(catalog.documents, merged));
  writeTimings(root, merged.scenarios);
  writeLastFailed(root, merged);
  const shown = relative(io.cwd, outputDir) || '.';
  screen.err(
    `merged ${loaded.length} reports (${merged.scenarios.length} scenarios) into ${shown.startsWith('..') ? outputDir : shown}\n`,
  );
  return merged.exitCode;
}
