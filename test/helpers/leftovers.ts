/**
 * For tests of the stack: what a started stack left on this machine. Checks
 * the real thing: live processes (via /proc), directories, listening ports.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import pg from 'pg';
import { isPortFree } from '../../src/stack/ports.ts';
import { isProcessAlive, treeMembers } from '../../src/stack/process-group.ts';
import type { StackHandles } from '../../src/stack/types.ts';

/** Live descendants of this process right now. */
export function descendants(): Set<number> {
  return new Set(treeMembers(process.pid).filter((pid) => pid !== process.pid));
}

/** Processes, directories and ports a started stack holds; take it while the stack is up. */
export interface StackFootprint {
  readonly pids: readonly number[];
  readonly dirs: readonly string[];
  readonly ports: readonly number[];
}

/** What `stack` holds beyond `baseline` (this process's descendants before it started). */
export async function footprintOf(stack: StackHandles, baseline: ReadonlySet<number>): Promise<StackFootprint> {
  const pids = [...descendants()].filter((pid) => !baseline.has(pid));
  const dirs = stack.workDir ? [stack.workDir] : [];
  const dataDir = await postgresDataDir(stack.adminDatabaseUrl);
  // The embedded cluster lives in <temp root>/data.
  if (dataDir && stack.kind !== 'compose') dirs.push(dirname(dataDir));
  const ports = [stack.hubUrl, stack.bridgeUrl, stack.adminDatabaseUrl].map((url) => Number(new URL(url).port));
  return { pids, dirs, ports };
}

/** Everything of the footprint still present: empty when the teardown was complete. */
export async function leftovers(footprint: StackFootprint): Promise<string[]> {
  const found: string[] = [];
  for (const pid of footprint.pids) if (isProcessAlive(pid)) found.push(`process ${pid}`);
  for (const dir of footprint.dirs) if (existsSync(dir)) found.push(`directory ${dir}`);
  for (const port of footprint.ports) if (!(await isPortFree(port))) found.push(`port ${port}`);
  return found;
}

async function postgresDataDir(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
    return rows[0]?.data_directory;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}
