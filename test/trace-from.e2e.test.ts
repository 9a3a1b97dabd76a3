/**
 * `santokit-it trace --from`: an earlier trace's summaries measured again
 * without a stack, and a report far larger than a pipe's buffer arriving
 * whole through a pipe read slowly (process.exit used to drop the rest).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { TraceReport } from '../src/model/trace.ts';
import { validTree, writeTree } from './helpers/catalog-fixture.ts';
import { BIN } from './helpers/cli.ts';

const cleanups: (() => Promise<void>)[] = [];
after(() => Promise.all(cleanups.map((cleanup) => cleanup())));

/** A run summary: `files` reference files of ten functions, the first `executed` of each run. */
function summary(files: number, executed: number): string {
  const entries: Record<string, { known: Record<string, string>; executed: string[] }> = {};
  for (let index = 0; index < files; index += 1) {
    const known = Object.fromEntries(
      Array.from({ length: 10 }, (_, line) => [`line ${line + 1}`, `aRatherLongFunctionName${index}x${line}`]),
    );
    entries[`reference/generated/file-${index}.ts`] = {
      known,
      executed: Array.from({ length: executed }, (_, line) => `line ${line + 1}`),
    };
  }
  return JSON.stringify({ exitCode: 0, durationMs: 1000, processes: 3, files: entries });
}

/** Runs the CLI and reads its standard output only after a pause, so the pipe fills up first. */
function runSlowReader(args: readonly string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const chunks: Buffer[] = [];
    child.stdout.pause();
    setTimeout(() => child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk)).resume(), 1_000);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(chunks).toString('utf8') }));
  });
}

test('trace --from measures saved summaries again and its JSON report arrives whole through a slow pipe', async () => {
  const catalog = await writeTree(validTree());
  cleanups.push(catalog.remove);
  const traceDir = join(catalog.root, 'trace');
  await mkdir(join(traceDir, 'baseline'), { recursive: true });
  await mkdir(join(traceDir, 'AUTH-001'), { recursive: true });
  await writeFile(join(traceDir, 'baseline', 'functions.json'), summary(2_000, 1));
  await writeFile(join(traceDir, 'AUTH-001', 'functions.json'), summary(2_000, 6));

  const result = await runSlowReader(['trace', '--root', catalog.root, '--from', traceDir, '--json']);
  assert.ok(result.stdout.length > 200_000, `a report of ${result.stdout.length} characters`);
  const report = JSON.parse(result.stdout) as TraceReport;
  assert.equal(result.code, 1, 'gaps fail the trace');
  assert.deepEqual(
    report.capabilities.map((traced) => traced.id),
    ['AUTH-001'],
    'OPERATOR-001 has no summary: left out',
  );
  const gaps = report.capabilities[0]?.gaps ?? [];
  assert.equal(gaps.length, 2_000);
  assert.deepEqual(
    [gaps[0]?.functions, gaps[0]?.beyondBaseline, gaps[0]?.share],
    [10, 5, 0.5],
    'what the baseline ran (line 1) is subtracted',
  );

  const stricter = await runSlowReader([
    'trace',
    '--root',
    catalog.root,
    '--from',
    traceDir,
    '--json',
    '--threshold',
    '0.6',
  ]);
  assert.equal(stricter.code, 0, 'at 60 % no file counts');
  assert.deepEqual((JSON.parse(stricter.stdout) as TraceReport).capabilities[0]?.gaps, []);
});
