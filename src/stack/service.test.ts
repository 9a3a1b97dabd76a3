import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { childPids, fakeArgs, type FakeMode, type FakeOptions } from '../../test/fixtures/services/fake.ts';
import { StackStartError } from '../errors.ts';
import { freePort, isPortFree } from './ports.ts';
import { httpProbe } from './probes/http-probe.ts';
import { logProbe } from './probes/log-probe.ts';
import { isProcessAlive } from './process-group.ts';
import { createService, type ServiceSpec, type StartedService } from './service.ts';
import { createTeardownStack, type TeardownStack } from './teardown-stack.ts';

let logDir: string;
const allTeardowns: TeardownStack[] = [];
before(async () => {
  logDir = await mkdtemp(join(tmpdir(), 'stk-it-service-test-'));
});
after(async () => {
  // After a failed assertion, still stop whatever a test started.
  for (const teardowns of allTeardowns) await teardowns.runAll();
  await rm(logDir, { recursive: true, force: true });
});

function newTeardowns(): TeardownStack {
  const teardowns = createTeardownStack();
  allTeardowns.push(teardowns);
  return teardowns;
}

interface Fake {
  readonly port: number;
  readonly teardowns: TeardownStack;
  readonly started: Promise<StartedService>;
}

async function startFake(
  mode: FakeMode,
  options: FakeOptions = {},
  spec: Partial<ServiceSpec> = {},
  signal?: AbortSignal,
): Promise<Fake> {
  const port = await freePort();
  const teardowns = newTeardowns();
  const service = createService({
    name: `fake-${mode}`,
    command: process.execPath,
    args: fakeArgs(mode, { ...options, port }),
    probes: [httpProbe(`http://127.0.0.1:${port}/healthz`)],
    startTimeoutMs: 5_000,
    ...spec,
  });
  const started = service.start({ teardowns, signal: signal ?? new AbortController().signal, logDir });
  return { port, teardowns, started };
}

async function startFailure(fake: Fake): Promise<StackStartError> {
  const error = await fake.started.then(
    () => assert.fail('start should have failed'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof StackStartError, `expected StackStartError, got ${String(error)}`);
  return error;
}

describe('createService', () => {
  it('waits for a slow service and stops its whole tree, idempotently', async () => {
    const begin = Date.now();
    const fake = await startFake('slow', { delayMs: 300, child: true });
    const service = await fake.started;
    assert.ok(Date.now() - begin >= 300);
    const grandchildren = childPids(service.output.tail());
    assert.equal(grandchildren.length, 1);
    assert.ok(isProcessAlive(service.pid) && isProcessAlive(grandchildren[0] as number));
    await Promise.all([service.stop(), service.stop()]);
    await service.stop();
    assert.deepEqual([service.pid, ...grandchildren].filter(isProcessAlive), []);
    assert.equal(await isPortFree(fake.port), true);
    assert.deepEqual(await fake.teardowns.runAll(), []);
    assert.equal(service.isRunning(), false);
  });

  it('fails fast with exit code and log tail when the service crashes', async () => {
    const begin = Date.now();
    const fake = await startFake('crash', { lines: 120 });
    const error = await startFailure(fake);
    assert.ok(Date.now() - begin < 3_000, 'the probe must race the process death, not wait for the deadline');
    assert.equal(error.exitCode, 3, 'stack failures exit 3');
    assert.equal(error.failure.service, 'fake-crash');
    assert.equal(error.failure.exitCode, 3);
    assert.equal(error.failure.waitedFor, `GET http://127.0.0.1:${fake.port}/healthz → 200`);
    assert.equal(error.failure.logTail.length, 50);
    assert.match(error.failure.logTail.at(-1) ?? '', /fatal: cannot reach the database/);
    assert.match(error.message, /fake-crash exited with code 3 while waiting for GET/);
    assert.deepEqual(await fake.teardowns.runAll(), []);
  });

  it('gives up at the deadline on a service that never becomes ready, and teardown ends it', async () => {
    const fake = await startFake('never', {}, { startTimeoutMs: 400 });
    const error = await startFailure(fake);
    assert.equal(error.failure.exitCode, null);
    assert.match(error.message, /was not ready within 400 ms/);
    assert.ok(error.failure.logTail.some((line) => line.includes('fake listening')));
    assert.deepEqual(await fake.teardowns.runAll(), []);
    assert.equal(await isPortFree(fake.port), true);
  });

  it('SIGKILLs a service that ignores SIGTERM after the grace period', async () => {
    const fake = await startFake('ignore-sigterm', { child: true }, { stopTimeoutMs: 300 });
    const service = await fake.started;
    const pids = [service.pid, ...childPids(service.output.tail())];
    const begin = Date.now();
    await service.stop();
    const took = Date.now() - begin;
    assert.ok(took >= 300 && took < 3_000, `stop took ${took} ms`);
    assert.deepEqual(pids.filter(isProcessAlive), []);
    const exit = await service.exited;
    assert.equal(exit.signal, 'SIGKILL');
    assert.match(await readFile(join(logDir, 'fake-ignore-sigterm.log'), 'utf8'), /ignoring SIGTERM/);
  });

  it('rethrows the abort reason when the run is interrupted during the wait', async () => {
    const controller = new AbortController();
    const fake = await startFake('slow', { delayMs: 10_000, child: true }, {}, controller.signal);
    setTimeout(() => controller.abort(new Error('SIGINT')), 150);
    await assert.rejects(fake.started, (error: unknown) => error instanceof Error && error.message === 'SIGINT');
    assert.deepEqual(await fake.teardowns.runAll(), []);
    assert.equal(await isPortFree(fake.port), true);
  });

  it('reports a command that cannot run at all', async () => {
    const teardowns = newTeardowns();
    const service = createService({ name: 'ghost', command: join(logDir, 'no-such-binary') });
    await assert.rejects(service.start({ teardowns, signal: new AbortController().signal }), (error: unknown) => {
      assert.ok(error instanceof StackStartError);
      assert.match(error.message, /ghost could not be started: .*ENOENT/);
      return true;
    });
    assert.deepEqual(await teardowns.runAll(), []);
  });

  it('waits for a log line and streams output to the log file and onLine', async () => {
    const port = await freePort();
    const teardowns = newTeardowns();
    const seen: string[] = [];
    const service = await createService({
      name: 'fake-log',
      command: process.execPath,
      args: fakeArgs('ok', { port, lines: 3 }),
      probes: [logProbe(/fake listening on \d+/)],
    }).start({
      teardowns,
      signal: new AbortController().signal,
      logDir,
      onLine: (name, line) => seen.push(`[${name}] ${line}`),
    });
    assert.ok(seen.some((line) => /^\[fake-log\] .*line 3$/.test(line)));
    await teardowns.runAll();
    const file = await readFile(join(logDir, 'fake-log.log'), 'utf8');
    assert.match(file, /line 1\n.*line 2\n.*line 3\n.*fake listening on/);
    assert.match(file, /SIGTERM: closing/);
    assert.equal(service.isRunning(), false);
  });
});
