/**
 * What a run leaves behind when it is SIGKILLed (or the machine's OOM killer
 * takes it): no teardown runs, the services keep running detached, containers
 * and compose projects keep running, and temp dirs stay. Each runner process
 * keeps a ledger of what it owns right now (resources.ts writes it) in
 * `<tmpdir>/santokit-it-runs-<uid>/<pid>.json`; the next stack start reads the
 * ledgers of runners that are gone and removes what they list.
 *
 * Identity is the pid plus its start time from /proc, so a reused pid is
 * never taken for the process that was recorded. Ledgers are trusted only in
 * a folder of this user's that nobody else can write to, and only names this
 * tool makes are ever removed. Without /proc (not Linux) nothing is written.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import { removeContainerNow, removeProjectNow } from './docker-now.ts';
import { dropDatabaseNow, NeedsCredentialsError } from './postgres/database-now.ts';
import { isProcessAlive, killTreeNow, processStartTime } from './process-group.ts';

/** A resource outside this process that a run owns, as the ledger names it. */
export type Leftover =
  | { readonly kind: 'group'; readonly pgid: number; readonly start: string }
  | { readonly kind: 'container'; readonly name: string }
  | { readonly kind: 'compose'; readonly project: string }
  | { readonly kind: 'dir'; readonly path: string }
  /** A database on a shared server; `server` is `user@host:port`, never a password (database-now.ts). */
  | { readonly kind: 'database'; readonly server: string; readonly name: string };

export type LeftoverKind = Leftover['kind'];

interface Ledger {
  readonly pid: number;
  readonly start: string;
  readonly resources: readonly Leftover[];
}

/** What one sweep cleaned up: the killed runs' pids, and a count per kind. */
export interface SweepSummary extends Readonly<Record<LeftoverKind, number>> {
  readonly runs: readonly number[];
  /** Databases left listed because this process has no credentials for their server. */
  readonly kept: number;
}

/** Only names like these are ever removed, whatever a ledger file says. */
export const OWN_PREFIX = 'santokit-it-';
const COMPOSE_PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * Ends one leftover at once, synchronously. Returns false when there was
 * nothing of it to end (a reused pid, a name that is not ours); throws when
 * it could not be ended (Docker not answering).
 */
export const KILL_NOW: { readonly [K in LeftoverKind]: (leftover: Extract<Leftover, { kind: K }>) => boolean } = {
  group: ({ pgid, start }) => {
    // No start time: no /proc here (not Linux), so only this process's own list names groups, never a ledger.
    if (start === '' ? !isProcessAlive(pgid) : processStartTime(pgid) !== start) return false;
    killTreeNow(pgid);
    return true;
  },
  container: ({ name }) => name.startsWith(OWN_PREFIX) && (removeContainerNow(name), true),
  compose: ({ project }) => COMPOSE_PROJECT_NAME.test(project) && (removeProjectNow(project), true),
  dir: ({ path }) =>
    isAbsolute(path) && basename(path).startsWith(OWN_PREFIX) && (rmSync(path, { recursive: true, force: true }), true),
  database: ({ server, name }) => dropDatabaseNow(server, name),
};

export function killLeftoverNow(leftover: Leftover): boolean {
  return (KILL_NOW[leftover.kind] as (value: Leftover) => boolean)(leftover);
}

export function ledgerDir(): string {
  return join(tmpdir(), `santokit-it-runs-${process.getuid?.() ?? 'user'}`);
}

/** Another user who could write here could make this runner kill and delete for them. */
function isTrustedFolder(path: string): boolean {
  try {
    const stat = statSync(path);
    const uid = process.getuid?.();
    return stat.isDirectory() && (uid === undefined || stat.uid === uid) && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** Writes this runner's ledger (deletes it when nothing is owned). A run never fails for it. */
export function writeLedger(resources: readonly Leftover[]): void {
  const own = processStartTime(process.pid);
  if (own === undefined) return;
  const file = join(ledgerDir(), `${process.pid}.json`);
  try {
    if (resources.length === 0) {
      rmSync(file, { force: true });
      return;
    }
    mkdirSync(ledgerDir(), { recursive: true, mode: 0o700 });
    writeLedgerFile(file, { pid: process.pid, start: own, resources });
  } catch {
    // The ledger only helps a later run clean up.
  }
}

/** Written whole and renamed, so a sweeping runner never reads half a ledger. */
function writeLedgerFile(file: string, ledger: Ledger): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(ledger));
  renameSync(`${file}.tmp`, file);
}

/**
 * Ends what every runner that died without its teardown owned, newest first,
 * and removes its ledger. A database this process has no credentials for
 * stays listed (the ledger keeps just those) for a run that has them.
 */
export function sweepLeftovers(ledgers = ledgerDir()): SweepSummary {
  const summary = { runs: [] as number[], group: 0, container: 0, compose: 0, dir: 0, database: 0, kept: 0 };
  if (!isTrustedFolder(ledgers)) return summary;
  for (const name of readdirSync(ledgers).filter((entry) => /^\d+\.json$/.test(entry))) {
    const file = join(ledgers, name);
    const ledger = readLedger(file);
    if (!ledger || processStartTime(ledger.pid) === ledger.start) continue;
    const kept: Leftover[] = [];
    for (const leftover of [...ledger.resources].reverse()) {
      const outcome = endQuietly(leftover);
      if (outcome === 'kept') kept.unshift(leftover);
      else if (outcome === 'ended') summary[leftover.kind] += 1;
    }
    summary.kept += kept.length;
    // Nothing here was ours to end: the ledger waits, unchanged, and this run does not speak of it.
    if (kept.length === ledger.resources.length) continue;
    try {
      if (kept.length > 0) writeLedgerFile(file, { ...ledger, resources: kept });
      else rmSync(file, { force: true });
    } catch {
      // A folder gone read-only: the next sweep finds the ledger again, and what it names is gone by then.
    }
    summary.runs.push(ledger.pid);
  }
  return summary;
}

/** A machine without Docker any more cannot have the container either; a database needs its server's credentials. */
function endQuietly(leftover: Leftover): 'ended' | 'absent' | 'kept' {
  try {
    return killLeftoverNow(leftover) ? 'ended' : 'absent';
  } catch (error) {
    return error instanceof NeedsCredentialsError ? 'kept' : 'absent';
  }
}

function readLedger(file: string): Ledger | undefined {
  try {
    return toLedger(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return undefined;
  }
}

/** Also reads the ledgers of earlier versions, which listed groups, compose projects and dirs apart. */
function toLedger(value: unknown): Ledger | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { pid, start, resources, groups, composeProjects, dirs } = value as Record<string, unknown>;
  if (typeof pid !== 'number' || typeof start !== 'string') return undefined;
  const listed = Array.isArray(resources)
    ? resources
    : [
        ...(Array.isArray(groups) ? groups.map((group: unknown) => ({ kind: 'group', ...(group as object) })) : []),
        ...(Array.isArray(composeProjects)
          ? composeProjects.map((project: unknown) => ({ kind: 'compose', project }))
          : []),
        ...(Array.isArray(dirs) ? dirs.map((path: unknown) => ({ kind: 'dir', path })) : []),
      ];
  return listed.every(isLeftover) ? { pid, start, resources: listed } : undefined;
}

function isLeftover(value: unknown): value is Leftover {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  switch (entry.kind) {
    case 'group':
      return typeof entry.pgid === 'number' && typeof entry.start === 'string' && entry.start !== '';
    case 'container':
      return typeof entry.name === 'string';
    case 'compose':
      return typeof entry.project === 'string';
    case 'dir':
      return typeof entry.path === 'string';
    case 'database':
      return typeof entry.server === 'string' && typeof entry.name === 'string';
    default:
      return false;
  }
}

const NOUNS: Readonly<Record<LeftoverKind, string>> = {
  group: 'process group(s) stopped',
  container: 'container(s) removed',
  compose: 'compose project(s) removed',
  dir: 'temp dir(s) removed',
  database: 'database(s) dropped',
};

/** One line for the console: what an earlier, killed run had left and is now gone. */
export function describeSweep(summary: SweepSummary): string | undefined {
  if (summary.runs.length === 0) return undefined;
  const runs =
    summary.runs.length === 1
      ? `a killed run (pid ${summary.runs[0]})`
      : `${summary.runs.length} killed runs (pids ${summary.runs.join(', ')})`;
  const parts = (Object.keys(NOUNS) as LeftoverKind[]).filter(
    (kind) => kind === 'group' || kind === 'dir' || summary[kind] > 0,
  );
  const kept =
    summary.kept > 0
      ? `; ${summary.kept} database(s) on a shared server kept for a run with --db url on that server`
      : '';
  return `cleaned up after ${runs}: ${parts.map((kind) => `${summary[kind]} ${NOUNS[kind]}`).join(', ')}${kept}`;
}
