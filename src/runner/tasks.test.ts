import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InterruptedError } from '../errors.ts';
import { runTasks, type Task } from './tasks.ts';

type Log = string[];

const task = (name: string, body?: (log: Log) => Promise<void>): Task<Log> => ({
  name,
  run: async (log, context) => {
    context.defer(name, async () => void log.push(`down ${name}`));
    log.push(`up ${name}`);
    await body?.(log);
  },
});

test('teardowns run in reverse after every task succeeded', async () => {
  const log: Log = [];
  const result = await runTasks([task('a'), task('b'), task('c')], log, new AbortController().signal);
  assert.equal(result.failed, undefined);
  assert.deepEqual(log, ['up a', 'up b', 'up c', 'down c', 'down b', 'down a']);
});

test('a failing task stops the run; what it registered before failing is torn down too', async () => {
  const log: Log = [];
  const boom = new Error('boom');
  const result = await runTasks(
    [task('a'), task('b', async () => Promise.reject(boom)), task('c')],
    log,
    new AbortController().signal,
  );
  assert.equal(result.failed?.task, 'b');
  assert.equal(result.failed?.error, boom);
  assert.deepEqual(log, ['up a', 'up b', 'down b', 'down a']);
});

test('an abort interrupts the running task at once and still tears down', async () => {
  const log: Log = [];
  const controller = new AbortController();
  const hang = task('b', () => {
    setTimeout(() => controller.abort(new InterruptedError('SIGINT')), 10);
    return new Promise(() => undefined);
  });
  const result = await runTasks([task('a'), hang, task('c')], log, controller.signal);
  assert.ok(result.failed?.error instanceof InterruptedError);
  assert.deepEqual(log, ['up a', 'up b', 'down b', 'down a']);
});

test('teardown failures are collected and the others still run', async () => {
  const log: Log = [];
  const failing: Task<Log> = {
    name: 'bad',
    run: async (_, context) => context.defer('bad', async () => Promise.reject(new Error('cannot stop'))),
  };
  const result = await runTasks([task('a'), failing, task('c')], log, new AbortController().signal);
  assert.deepEqual(result.teardownFailures, [{ name: 'bad', message: 'cannot stop' }]);
  assert.deepEqual(log, ['up a', 'up c', 'down c', 'down a']);
});
