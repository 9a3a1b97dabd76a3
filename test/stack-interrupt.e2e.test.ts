/**
 * The real CLI (`santokit-it stack up --stack process` with fake Hub and
 * Bridge binaries and an embedded PostgreSQL): SIGINT during the PostgreSQL
 * start, during the Hub start and once the stack is up, and a crashing Hub.
 * Every case checks for real that nothing is left: processes, temp dirs, ports.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isPortFree } from '../src/stack/ports.ts';
import { isProcessAlive, treeMembers } from '../src/stack/process-group.ts';
import { FAKE_SERVICE } from './fixtures/services/fake.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'santokit-it.js');
const DEADLINE_MS = 30_000;

let outputDir = '';
before(async () => {
  outputDir = await mkdtemp(join(tmpdir(), 'stk-it-interrupt-'));
});
after(() => rm(outputDir, { recursive: true, force: true }));

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Processes of the run seen while it was alive. */
  readonly pids: ReadonlySet<number>;
  readonly dirs: ReadonlySet<string>;
  readonly ports: ReadonlySet<number>;
}

/**
 * Runs `stack up` and sends SIGINT when `interruptWhen` matches a line (stderr
 * carries the `[service] …` stream of --verbose, stdout the JSON line).
 */
function stackUp(hubBin: string, interruptWhen?: RegExp): Promise<CliRun> {
  const args = [
    BIN,
    'stack',
    'up',
    '--stack',
    'process',
    '--hub-bin',
    hubBin,
    '--bridge-bin',
    `${FAKE_SERVICE} --mode ok`,
  ];
  const child = spawn(
    process.execPath,
    [...args, '--format', 'json', '--verbose', '--output-dir', outputDir, '--no-color'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const run = { stdout: '', stderr: '', pids: new Set<number>(), dirs: new Set<string>(), ports: new Set<number>() };
  let interrupted = false;
  const watch = (chunk: string) => {
    for (const pid of treeMembers(child.pid ?? -1)) run.pids.add(pid);
    for (const match of chunk.matchAll(/\/\S*santokit-it-(?:pg|work)-\w+/g)) run.dirs.add(match[0]);
    for (const match of chunk.matchAll(/(?:port |listening on |127\.0\.0\.1:)(\d{4,5})/g))
      run.ports.add(Number(match[1]));
    if (!interrupted && interruptWhen?.test(chunk)) {
      interrupted = true;
      child.kill('SIGINT');
    }
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    run.stdout += chunk;
    watch(chunk);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    run.stderr += chunk;
    watch(chunk);
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ ...run, code });
    });
  });
}

async function assertNothingLeft(run: CliRun): Promise<void> {
  assert.ok(run.pids.size >= 3, `saw the run's processes (${[...run.pids].join(', ')})`);
  assert.deepEqual([...run.pids].filter(isProcessAlive), [], 'no process of the run is alive');
  assert.deepEqual([...run.dirs].filter(existsSync), [], 'temp dirs removed');
  const busy: number[] = [];
  for (const port of run.ports) if (!(await isPortFree(port))) busy.push(port);
  assert.deepEqual(busy, [], 'ports free again');
}

describe('santokit-it stack up, interrupted and failing', () => {
  it('SIGINT during the PostgreSQL start: exit 130, nothing left', async () => {
    const run = await stackUp(`${FAKE_SERVICE} --mode ok`, /\[postgres\] .*starting PostgreSQL/);
    assert.equal(run.code, 130, run.stderr);
    assert.ok(run.dirs.size > 0);
    await assertNothingLeft(run);
  });

  it('SIGINT during the Hub start: exit 130, nothing left', async () => {
    const run = await stackUp(`${FAKE_SERVICE} --mode slow --delay 60000 --child`, /\[hub\] .*warming up/);
    assert.equal(run.code, 130, run.stderr);
    assert.ok(run.ports.size > 0);
    await assertNothingLeft(run);
  });

  it('SIGINT once the stack is up: orderly teardown (exit 0 for stack up), nothing left', async () => {
    const run = await stackUp(`${FAKE_SERVICE} --mode ok --child`, /"hubUrl"/);
    assert.equal(run.code, 0, run.stderr);
    const info = JSON.parse(run.stdout.trim()) as { hubUrl: string; bridgeUrl: string };
    assert.match(info.hubUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    await assertNothingLeft(run);
  });

  it('a crashing Hub: exit 3 with the service, what it waited for and its log tail', async () => {
    const run = await stackUp(`${FAKE_SERVICE} --mode crash --lines 70`);
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /hub exited with code 3 while waiting for GET http:\/\/127\.0\.0\.1:\d+\/healthz → 200/);
    assert.match(run.stderr, /last 50 log lines:/);
    assert.match(run.stderr, /fatal: cannot reach the database/);
    await assertNothingLeft(run);
  });
});
