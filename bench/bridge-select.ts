/**
 * `/call` select throughput and latency compared, in the same run, with a
 * direct `pg` query of the same row, so the Bridge's overhead is a ratio.
 * A bounded loop on loopback: `requests` calls at `concurrency` in flight,
 * after a short warm-up (which also warms the release cache).
 */
import { Agent } from 'node:http';
import { send } from '../reference/shared/send.ts';
import pg from 'pg';

export interface BenchOptions {
  readonly bridgeUrl: string;
  /** Credential and hint headers, e.g. `{ 'x-santokit-api-key': '<id>.<secret>' }`. */
  readonly headers: Readonly<Record<string, string>>;
  /** Direct URL of the project database the Bridge reads. */
  readonly pgUrl: string;
  readonly table: string;
  /** Equality filter selecting the row, e.g. `{ id: '…' }`. */
  readonly where: Readonly<Record<string, string | number | boolean>>;
  readonly requests?: number;
  readonly concurrency?: number;
}

export interface Series {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface BenchResult {
  readonly concurrency: number;
  readonly bridge: Series;
  readonly direct: Series;
  /** Bridge p50 latency divided by direct p50 latency. */
  readonly overhead: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? 0;
}

/** Runs `once` `total` times with `concurrency` in flight; every result is checked. */
async function measure(total: number, concurrency: number, once: () => Promise<void>): Promise<Series> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      next += 1;
      const begin = performance.now();
      await once();
      latencies.push(performance.now() - begin);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    requests: total,
    requestsPerSecond: Math.round(total / seconds),
    p50Ms: round(percentile(latencies, 0.5)),
    p99Ms: round(percentile(latencies, 0.99)),
  };
}

export async function benchBridgeSelect(options: BenchOptions): Promise<BenchResult> {
  const total = options.requests ?? 2_000;
  const concurrency = options.concurrency ?? 16;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const pool = new pg.Pool({ connectionString: options.pgUrl, max: concurrency });
  // end() resolves before idle sockets are closed; a database stopping right after must not crash the caller.
  pool.on('error', () => undefined);
  const url = new URL('/call', options.bridgeUrl);
  const body = JSON.stringify({ path: `db/${options.table}/select`, params: { where: options.where, limit: 1 } });
  const columns = Object.keys(options.where);
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const sql = `SELECT * FROM ${quote(options.table)} WHERE ${columns.map((name, index) => `${quote(name)} = $${index + 1}`).join(' AND ')} LIMIT 1`;
  const values = Object.values(options.where);
  const viaBridge = async () => {
    const response = await send(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...options.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      body,
    );
    if (response.status !== 200 || !response.text.startsWith('{"data":[{'))
      throw new Error(`bench: /call answered ${response.status} ${response.text.slice(0, 200)}`);
  };
  const direct = async () => {
    if ((await pool.query(sql, values)).rowCount !== 1) throw new Error('bench: the direct query found no row');
  };
  try {
    const warmup = Math.min(100, total);
    await measure(warmup, concurrency, viaBridge);
    await measure(warmup, concurrency, direct);
    const bridge = await measure(total, concurrency, viaBridge);
    const directSeries = await measure(total, concurrency, direct);
    return {
      concurrency,
      bridge,
      direct: directSeries,
      overhead: Math.round((bridge.p50Ms / Math.max(directSeries.p50Ms, 0.001)) * 100) / 100,
    };
  } finally {
    agent.destroy();
    await pool.end();
  }
}
