/** Ready when PostgreSQL at `url` answers `SELECT 1`. */
import pg from 'pg';
import type { Probe } from './probe.ts';
import { sleep } from './probe.ts';

export function postgresProbe(url: string, shownAs = url): Probe {
  return {
    description: `SELECT 1 on ${shownAs}`,
    async wait(_output, signal) {
      for (let interval = 50; ; interval = Math.min(interval * 2, 500)) {
        signal.throwIfAborted();
        if (await answers(url)) return;
        await sleep(interval, signal);
      }
    },
  };
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
