/**
 * What a traced run leaves behind once its raw coverage is read: its exit
 * code, duration and, per reference file, the functions known and executed.
 * Small (kilobytes, where the raw coverage of a run is tens of megabytes), so
 * `santokit-it trace --from <dir>` can measure again with another threshold
 * or allow-list without running anything.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Coverage, FileFunctions } from './v8-coverage.ts';

export const SUMMARY_FILE = 'functions.json';

export interface RunSummary {
  readonly exitCode: number;
  readonly durationMs: number;
  readonly coverage: Coverage;
}

interface StoredFile {
  readonly known: Readonly<Record<string, string>>;
  readonly executed: readonly string[];
}

interface StoredSummary {
  readonly exitCode: number;
  readonly durationMs: number;
  readonly processes: number;
  readonly files: Readonly<Record<string, StoredFile>>;
}

export async function saveRunSummary(folder: string, summary: RunSummary): Promise<void> {
  const files: Record<string, StoredFile> = {};
  for (const [file, functions] of [...summary.coverage.files].sort(([a], [b]) => a.localeCompare(b)))
    files[file] = { known: Object.fromEntries(functions.known), executed: [...functions.executed].sort() };
  const stored: StoredSummary = {
    exitCode: summary.exitCode,
    durationMs: summary.durationMs,
    processes: summary.coverage.processes,
    files,
  };
  const path = join(folder, SUMMARY_FILE);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(stored)}\n`);
}

/** Undefined when the folder holds no summary (the run never happened or was cut short). */
export async function loadRunSummary(folder: string): Promise<RunSummary | undefined> {
  let stored: StoredSummary;
  try {
    stored = JSON.parse(await readFile(join(folder, SUMMARY_FILE), 'utf8')) as StoredSummary;
  } catch {
    return undefined;
  }
  const files = new Map<string, FileFunctions>();
  for (const [file, entry] of Object.entries(stored.files))
    files.set(file, { known: new Map(Object.entries(entry.known)), executed: new Set(entry.executed) });
  return {
    exitCode: stored.exitCode,
    durationMs: stored.durationMs,
    coverage: { files, processes: stored.processes },
  };
}
