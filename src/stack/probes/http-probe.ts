/** Ready when `GET url` answers the expected status. Polls with a short, growing interval. */
import { request } from 'node:http';
import { request as requestTls } from 'node:https';
import type { Probe } from './probe.ts';
import { sleep } from './probe.ts';

export interface HttpProbeOptions {
  readonly status?: number;
  /** First poll interval; it grows by half each miss up to `maxIntervalMs`. */
  readonly intervalMs?: number;
  readonly maxIntervalMs?: number;
  /** Bound on one request, so a server that accepts and never answers cannot stall the probe. */
  readonly requestTimeoutMs?: number;
  /** Called after each attempt with the status, or undefined when nothing answered. */
  readonly onAttempt?: (status: number | undefined) => void;
}

export function httpProbe(url: string, options: HttpProbeOptions = {}): Probe {
  const status = options.status ?? 200;
  return {
    description: `GET ${url} → ${status}`,
    async wait(_output, signal) {
      let interval = options.intervalMs ?? 20;
      for (;;) {
        signal.throwIfAborted();
        const answer = await httpStatus(url, options.requestTimeoutMs ?? 1_000);
        options.onAttempt?.(answer);
        if (answer === status) return;
        await sleep(interval, signal);
        interval = Math.min(Math.ceil(interval * 1.5), options.maxIntervalMs ?? 250);
      }
    },
  };
}

/**
 * Status code of `GET url`, or undefined when nothing answered in time. A
 * fresh connection each time (no agent): probes must not hold sockets open.
 */
export function httpStatus(url: string, timeoutMs: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const send = url.startsWith('https:') ? requestTls : request;
    const req = send(
      url,
      { method: 'GET', agent: false, timeout: timeoutMs, headers: { connection: 'close' } },
      (res) => {
        res.resume();
        resolve(res.statusCode);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}
