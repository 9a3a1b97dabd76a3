/**
 * SIGINT in the middle of a scenario of a real run on the embedded stack:
 * exit 130, the report says interrupted, and no process, temp dir or port of
 * the run is left.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isPortFree } from '../src/stack/ports.ts';
import { isProcessAlive, treeMembers } from '../src/stack/process-group.ts';
import { FAKE_SERVICE } from './fixtures/services/fake.ts';
import { BIN, runCli } from './helpers/cli.ts';

let outputDir = '';
after(() => rm(outputDir, { recursive: true, force: true }));

test('SIGINT mid-scenario: orderly teardown, exit 130, nothing left behind', async () => {
  outputDir = await mkdtemp(join(tmpdir(), 'stk-it-run-interrupt-'));
  const args = [
    BIN,
    '--capability',
    'OPERATOR-008',
    '--jobs',
    '1',
    '--verbose',
    '--reporter',
    'list,json',
    '--output-dir',
    outputDir,
    '--no-color',
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const pids = new Set<number>();
  const dirs = new Set<string>();
  const ports = new Set<number>();
  let interruptAt: NodeJS.Timeout | undefined;
  const watch = (chunk: string) => {
    for (const pid of treeMembers(child.pid ?? -1)) pids.add(pid);
    for (const match of chunk.matchAll(/\/\S*santokit-it-(?:pg|work)-\w+/g)) dirs.add(match[0]);
    for (const match of chunk.matchAll(/(?:listening on |127\.0\.0\.1:)(\d{4,5})/g)) ports.add(Number(match[1]));
    // A scenario is running once the Hub has served the operator login.
    if (interruptAt === undefined && /POST \/api\/auth\/login 200/.test(chunk))
      interruptAt = setTimeout(() => child.kill('SIGINT'), 1_500);
  };
  child.stdout.setEncoding('utf8').on('data', watch);
  child.stderr.setEncoding('utf8').on('data', watch);
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(killer);
  assert.ok(interruptAt, 'a scenario started');
  assert.equal(code, 130);
  const report = JSON.parse(await readFile(join(outputDir, 'results.json'), 'utf8')) as {
    status: string;
    scenarios: { outcome: string; skipReason?: string }[];
  };
  assert.equal(report.status, 'interrupted');
  assert.ok(report.scenarios.some((scenario) => scenario.skipReason === 'interrupted'));
  assert.ok(pids.size >= 4, `saw the run's processes (${[...pids].join(', ')})`);
  assert.deepEqual([...pids].filter(isProcessAlive), [], 'no process of the run is alive');
  assert.ok(dirs.size >= 1, 'saw the PostgreSQL data directory');
  assert.deepEqual([...dirs].filter(existsSync), [], 'temp dirs removed');
  const busy: number[] = [];
  for (const port of ports) if (!(await isPortFree(port))) busy.push(port);
  assert.ok(ports.size >= 2, 'saw the service ports');
  assert.deepEqual(busy, [], 'ports free again');
});

test('a Hub that crashes at start: exit 3, and the JSON report names the service and carries its log tail', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'stk-it-run-crash-'));
  try {
    const hub = `${FAKE_SERVICE} --mode crash --lines 70`;
    const run = await runCli([
      '--capability',
      'OPERATOR-007',
      '--stack',
      'process',
      '--hub-bin',
      hub,
      '--bridge-bin',
      `${FAKE_SERVICE} --mode ok`,
      '--reporter',
      'json',
      '--output-dir',
      dir,
    ]);
    assert.equal(run.code, 3, run.stderr);
    const report = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as {
      status: string;
      stack: { failure: { service: string; waitedFor: string; exitCode: number | null; logTail: string[] } };
      scenarios: { outcome: string; skipReason?: string }[];
    };
    assert.equal(report.status, 'stack-failed');
    assert.equal(report.stack.failure.service, 'hub');
    assert.match(report.stack.failure.waitedFor, /healthz/);
    assert.notEqual(report.stack.failure.exitCode, 0);
    assert.equal(report.stack.failure.logTail.length, 50, 'the last 50 lines');
    assert.ok(report.scenarios.every((scenario) => scenario.skipReason === 'stack failed to start'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
