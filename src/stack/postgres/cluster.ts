/**
 * A fresh PostgreSQL data directory for one run. initdb is the slowest step of
 * the embedded stack, so its result is kept once as a template (per initdb
 * binary, flags and user) under `<tmpdir>/santokit-it-cache/` and copied for
 * each run; the copy is still a new, private cluster. STK_IT_PG_TEMPLATE=off
 * runs initdb every time.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runToCompletion, type ServiceContext } from '../service.ts';
import { createTempDir } from '../temp-dir.ts';
import type { SystemUser } from './system-user.ts';

export const SUPERUSER = 'postgres';
// 1 MB WAL segments: a 16 MB zero-filled first segment is most of an empty cluster's size.
const INITDB_FLAGS = [
  '-U',
  SUPERUSER,
  '--auth=scram-sha-256',
  '-E',
  'UTF8',
  '--locale=C',
  '--no-sync',
  '--no-instructions',
  '--wal-segsize=1',
  // The superuser's SCRAM verifier with 256 rounds instead of 4096: every connection's handshake costs both sides
  // that many HMACs (about 1 ms of client CPU a connection, measured). The rounds only slow an offline guess of a
  // weak password; this one is random, lives in a 0600 file, and the cluster is loopback-only and throwaway.
  '-c',
  'scram_iterations=256',
];

export interface Cluster {
  readonly dataDir: string;
  readonly password: string;
}

/** Makes `<root>/data`; `root` is a registered temp dir the server's user can enter. */
export async function createCluster(
  root: string,
  initdb: string,
  runAs: SystemUser | undefined,
  context: ServiceContext,
): Promise<Cluster> {
  if (process.env.STK_IT_PG_TEMPLATE === 'off') return initCluster(root, initdb, runAs, context);
  const template = await ensureTemplate(initdb, runAs, context);
  const dataDir = join(root, 'data');
  context.signal.throwIfAborted();
  // cp -a keeps owner and modes (the server's user, 0700), which the server insists on.
  await promisify(execFile)('cp', ['-a', join(template, 'data'), dataDir], { signal: context.signal });
  return { dataDir, password: (await readFile(join(template, 'password'), 'utf8')).trim() };
}

async function initCluster(
  root: string,
  initdb: string,
  runAs: SystemUser | undefined,
  context: ServiceContext,
): Promise<Cluster> {
  const dataDir = join(root, 'data');
  const pwfile = join(root, 'pwfile');
  const password = randomBytes(12).toString('hex');
  await mkdir(dataDir, { mode: 0o700 });
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (runAs) {
    await chmod(root, 0o755);
    await chown(dataDir, runAs.uid, runAs.gid);
    await chown(pwfile, runAs.uid, runAs.gid);
  }
  await runToCompletion(
    {
      name: 'postgres-initdb',
      command: initdb,
      args: ['-D', dataDir, `--pwfile=${pwfile}`, ...INITDB_FLAGS],
      user: runAs,
      preamble: [`[santokit-it] initdb into ${dataDir}`],
      startTimeoutMs: 60_000,
    },
    context,
  );
  await rm(pwfile, { force: true });
  return { dataDir, password };
}

/** The template's directory, built first if missing. Concurrent runs may both build; the first rename wins. */
async function ensureTemplate(initdb: string, runAs: SystemUser | undefined, context: ServiceContext): Promise<string> {
  const parent = join(tmpdir(), 'santokit-it-cache');
  const dir = join(parent, `pg-template-${await templateKey(initdb, runAs)}`);
  if (await isTemplate(dir)) return dir;
  await mkdir(parent, { recursive: true });
  await chmod(parent, 0o755);
  // Owned like any temp dir: an unfinished template goes at teardown or in the next run's sweep.
  const building = await createTempDir('santokit-it-pg-template-', context.teardowns, parent);
  const cluster = await initCluster(building, initdb, runAs, context);
  await writeFile(join(building, 'password'), `${cluster.password}\n`, { mode: 0o600 });
  await rename(building, dir).catch(() => rm(building, { recursive: true, force: true }));
  if (!(await isTemplate(dir))) throw new Error(`postgres template ${dir} is incomplete`);
  await removeOtherTemplates(parent, dir);
  return dir;
}

/** Templates of other binaries or flags are stale once a new one exists (each is tens of MB). */
async function removeOtherTemplates(parent: string, keep: string): Promise<void> {
  for (const name of await readdir(parent)) {
    const path = join(parent, name);
    if (name.startsWith('pg-template-') && path !== keep) await rm(path, { recursive: true, force: true });
  }
}

async function isTemplate(dir: string): Promise<boolean> {
  return stat(join(dir, 'password')).then(
    () => true,
    () => false,
  );
}

async function templateKey(initdb: string, runAs: SystemUser | undefined): Promise<string> {
  const binary = await stat(initdb);
  const parts = [initdb, binary.size, binary.mtimeMs, INITDB_FLAGS.join(' '), runAs?.uid ?? process.getuid?.() ?? ''];
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
}
