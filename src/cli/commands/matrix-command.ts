import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { ExitCode, UsageError } from '../../errors.ts';
import { loadCatalog } from '../../plan/load-catalog.ts';
import { renderCoverageMatrix } from '../../report/matrix.ts';
import { REPORT_SCHEMA_VERSION, type RunReport } from '../../model/results.ts';
import type { CliIo } from '../io.ts';
import { resolveFrom } from '../options.ts';

export interface MatrixFlags {
  readonly root: string;
  readonly from?: string;
  /** A file path, or `-` for standard output. */
  readonly output: string;
  readonly color?: boolean;
}

export async function matrixCommand(flags: MatrixFlags, io: CliIo): Promise<number> {
  const screen = io.screen(flags.color);
  const root = resolveFrom(io.cwd, flags.root);
  const catalog = await loadCatalog(root);
  const report = flags.from === undefined ? undefined : await readReport(resolveFrom(io.cwd, flags.from));
  const markdown = renderCoverageMatrix(catalog.documents, report);
  if (flags.output === '-') {
    screen.out(markdown);
    return ExitCode.passed;
  }
  const target = resolveFrom(root, flags.output);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, markdown);
  screen.out(`wrote ${relative(io.cwd, target) || target}\n`);
  return ExitCode.passed;
}

async function readReport(path: string): Promise<RunReport> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `cannot read results from '${path}': ${error instanceof Error ? error.message : String(error)}`,
      'Pass the results.json a run wrote with --reporter json.',
    );
  }
  const report = parsed as Partial<RunReport>;
  if (report.schemaVersion !== REPORT_SCHEMA_VERSION || !Array.isArray(report.scenarios)) {
    throw new UsageError(
      `'${path}' is not a santokit-it results file (schemaVersion ${REPORT_SCHEMA_VERSION})`,
      'Pass the results.json a run wrote with --reporter json.',
    );
  }
  return parsed as RunReport;
}
