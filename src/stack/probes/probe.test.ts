import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { describe, it } from 'node:test';
import { StackStartError } from '../../errors.ts';
import { createServiceOutput } from '../service-output.ts';
import { httpProbe } from './http-probe.ts';
import { logProbe } from './log-probe.ts';
import { awaitReady, exitCodeOf, type ExitInfo, type Probe, type ReadinessWait } from './probe.ts';

const never = new Promise<ExitInfo>(() => undefined);

function wait(probes: readonly Probe[], extra: Partial<ReadinessWait> = {}): ReadinessWait {
  const output = createServiceOutput('svc');
  return {
    service: 'svc',
    probes,
    output,
    deadlineMs: 2_000,
    exited: never,
    signal: new AbortController().signal,
    logTail: () => output.tail(),
    ...extra,
  };
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

describe('awaitReady', () => {
  it('runs the probes in order: a log line, then HTTP', async () => {
    const { server, url } = await listen((_req, res) => res.end('ok'));
    const output = createServiceOutput('svc');
    setTimeout(() => output.line('svc listening'), 30);
    await awaitReady(wait([logProbe(/listening/), httpProbe(`${url}/healthz`)], { output }));
    server.close();
  });

  it('loses the race against the death of the service, with its exit code', async () => {
    const exited = new Promise<ExitInfo>((resolve) => setTimeout(() => resolve({ code: null, signal: 'SIGSEGV' }), 30));
    await assert.rejects(awaitReady(wait([logProbe(/never/)], { exited })), (error: unknown) => {
      assert.ok(error instanceof StackStartError);
      assert.equal(error.failure.exitCode, 139);
      assert.match(error.message, /svc was killed by SIGSEGV while waiting for a log line matching \/never\//);
      return true;
    });
  });

  it('keeps polling past a server that accepts but never answers, until the deadline', async () => {
    const { server, url } = await listen(() => undefined);
    const begin = Date.now();
    await assert.rejects(
      awaitReady(wait([httpProbe(url, { requestTimeoutMs: 100 })], { deadlineMs: 400 })),
      /was not ready within 400 ms/,
    );
    assert.ok(Date.now() - begin < 1_500);
    server.closeAllConnections();
    server.close();
  });

  it('reports a probe that throws as a start failure', async () => {
    const broken: Probe = { description: 'a broken check', wait: async () => Promise.reject(new Error('bad config')) };
    await assert.rejects(awaitReady(wait([broken])), /svc: a broken check failed: bad config/);
  });

  it('rethrows the abort reason, and at once when already aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('SIGTERM')), 20);
    await assert.rejects(awaitReady(wait([logProbe(/x/)], { signal: controller.signal })), /SIGTERM/);
    await assert.rejects(awaitReady(wait([logProbe(/x/)], { signal: controller.signal })), /SIGTERM/);
  });
});

describe('exitCodeOf', () => {
  it('follows the shell convention', () => {
    assert.equal(exitCodeOf({ code: 2, signal: null }), 2);
    assert.equal(exitCodeOf({ code: null, signal: 'SIGKILL' }), 137);
    assert.equal(exitCodeOf({ code: null, signal: null }), null);
  });
});
