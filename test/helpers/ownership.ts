/**
 * For tests of the stack: what exists now that the resource registry
 * (src/stack/resources.ts) does not own. A provider that starts a process
 * group, a temp dir, a container, a compose project (its containers, networks
 * and volumes) or a Hub database on a shared server without registering it
 * shows up here.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { getContainerRuntimeClient, getReaper } from 'testcontainers';
import { HUB_DATABASE_PREFIX, serverOf } from '../../src/stack/postgres/database-now.ts';
import type { Leftover } from '../../src/stack/leftovers.ts';
import { treeMembers } from '../../src/stack/process-group.ts';
import { ownedNow } from '../../src/stack/resources.ts';
import { descendants } from './leftovers.ts';

export interface OwnershipScope {
  /** The private TMPDIR the stack made its dirs in. */
  readonly tmp: string;
  /** Check containers of this process's testcontainers session (needs a Docker engine). */
  readonly containers?: boolean;
  /** Compose projects whose names start with this belong to the test. */
  readonly composePrefix?: string;
  /** A shared server (`--db url`) whose Hub databases belong to the test. */
  readonly databaseUrl?: string;
}

const byKind = <K extends Leftover['kind']>(kind: K) =>
  ownedNow().flatMap((entry) =>
    entry.leftover?.kind === kind ? [entry.leftover as Extract<Leftover, { kind: K }>] : [],
  );

function pgrpOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
}

/** Processes outside this process's group that no owned group's tree holds. */
function strayProcesses(): string[] {
  const covered = new Set(byKind('group').flatMap((group) => treeMembers(group.pgid)));
  const own = pgrpOf(process.pid);
  return [...descendants()].filter((pid) => pgrpOf(pid) !== own && !covered.has(pid)).map((pid) => `process ${pid}`);
}

/** The ledger folder, and what libraries keep in TMPDIR (tsx's cache, testcontainers' lock file). */
const NOT_RESOURCES = /\/(santokit-it-runs-[^/]*|tsx-\d+|testcontainers-node-\d+\.lock)$/;

/** Entries of the private TMPDIR (and of the initdb cache in it) that no owned dir names. */
function strayDirs(tmp: string): string[] {
  const owned = new Set(byKind('dir').map((dir) => dir.path));
  const list = (folder: string) => readdirSync(folder).map((name) => join(folder, name));
  const cache = join(tmp, 'santokit-it-cache');
  const entries = [
    ...list(tmp).filter((path) => path !== cache && !NOT_RESOURCES.test(path)),
    // Templates are a cache kept on purpose; anything else in there is a build in flight.
    ...list(tmp)
      .filter((path) => path === cache)
      .flatMap(list)
      .filter((path) => !path.includes('/pg-template-')),
  ];
  return entries.filter((path) => !owned.has(path)).map((path) => `dir ${path}`);
}

async function strayContainers(scope: OwnershipScope): Promise<string[]> {
  const docker = (args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).split('\n').filter(Boolean);
  const { sessionId } = await getReaper(await getContainerRuntimeClient());
  const names = new Set(byKind('container').map((container) => container.name));
  const session = docker([
    'ps',
    '-a',
    '--filter',
    `label=org.testcontainers.session-id=${sessionId}`,
    '--format',
    '{{.Names}}',
  ]);
  const stray = session.filter((name) => !names.has(name)).map((name) => `container ${name}`);
  if (scope.composePrefix === undefined) return stray;
  const projects = new Set(byKind('compose').map((compose) => compose.project));
  const strayOf = (noun: string, list: string[]) =>
    list
      .map((line) => line.split(' '))
      .filter(([project = '']) => project.startsWith(scope.composePrefix ?? '') && !projects.has(project))
      .map(([project, name]) => `${noun} ${name} of compose project ${project}`);
  const label = '{{.Label "com.docker.compose.project"}} {{.Name}}';
  return [
    ...stray,
    ...strayOf('container', docker(['ps', '-a', '--format', label.replace('.Name', '.Names')])),
    ...strayOf('network', docker(['network', 'ls', '--format', label])),
    ...strayOf('volume', docker(['volume', 'ls', '--format', label])),
  ];
}

/** Hub databases on the shared server that no owned database entry names. */
async function strayDatabases(url: string): Promise<string[]> {
  const owned = new Set(byKind('database').map((database) => `${database.server}/${database.name}`));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      'SELECT datname AS name FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname',
      [HUB_DATABASE_PREFIX],
    );
    return rows.filter(({ name }) => !owned.has(`${serverOf(url)}/${name}`)).map(({ name }) => `database ${name}`);
  } finally {
    await client.end();
  }
}

/** Everything the test's stack holds that the registry does not own: empty when every start was registered. */
export async function unowned(scope: OwnershipScope): Promise<string[]> {
  return [
    ...strayProcesses(),
    ...strayDirs(scope.tmp),
    ...(scope.containers ? await strayContainers(scope) : []),
    ...(scope.databaseUrl === undefined ? [] : await strayDatabases(scope.databaseUrl)),
  ];
}
