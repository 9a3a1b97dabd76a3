/**
 * What a run leaves behind when it is SIGKILLed (or the machine's OOM killer
 * takes it): no teardown runs, the services keep running detached, compose
 * projects keep their containers and their temp dirs stay. Each runner
 * process keeps a ledger of its live process groups, compose projects and
 * temp dirs in `<tmpdir>/santokit-it-runs-<uid>/<pid>.json`; the next stack start
 * reads the ledgers of runners that are gone and removes what they list.
 *
 * Identity is the pid plus its start time from /proc, so a reused pid is
 * never taken for the process that was recorded. Ledgers are trusted only in
 * a folder of this user's that nobody else can write to. Without /proc (not
 * Linux) nothing is recorded or swept.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import { killTreeNow, processStartTime } from './process-group.ts';
import { removeProjectNow } from './providers/compose-cli.ts';

interface LedgerGroup {
  readonly pgid: number;
  readonly start: string;
}

interface Ledger {
  readonly pid: number;
  readonly start: string;
  readonly groups: readonly LedgerGroup[];
  readonly composeProjects?: readonly string[];
  readonly dirs: readonly string[];
}

/** What one sweep cleaned up. */
export interface SweepSummary {
  readonly runs: readonly number[];
  readonly processGroups: number;
  readonly composeProjects: number;
  readonly dirs: number;
}

/** Only these are ever removed, whatever a ledger file says. */
const OWN_DIR_PREFIX = 'santokit-it-';
const COMPOSE_PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

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

const groups = new Map<number, string>();
const composeProjects = new Set<string>();
const dirs = new Set<string>();

/** Records a live process group of this runner; returns the function that forgets it. */
export function recordGroup(pgid: number): () => void {
  const start = processStartTime(pgid);
  if (start === undefined) return () => {};
  groups.set(pgid, start);
  writeLedger();
  return () => {
    if (groups.delete(pgid)) writeLedger();
  };
}

/** Records a compose project of this runner; returns the function that forgets it. */
export function recordComposeProject(name: string): () => void {
  composeProjects.add(name);
  writeLedger();
  return () => {
    if (composeProjects.delete(name)) writeLedger();
  };
}

/** Records a temp dir of this runner; returns the function that forgets it. */
export function recordDir(dir: string): () => void {
  dirs.add(dir);
  writeLedger();
  return () => {
    if (dirs.delete(dir)) writeLedger();
  };
}

function writeLedger(): void {
  const own = processStartTime(process.pid);
  if (own === undefined) return;
  const file = join(ledgerDir(), `${process.pid}.json`);
  try {
    if (groups.size === 0 && composeProjects.size === 0 && dirs.size === 0) {
      rmSync(file, { force: true });
      return;
    }
    mkdirSync(ledgerDir(), { recursive: true, mode: 0o700 });
    const ledger: Ledger = {
      pid: process.pid,
      start: own,
      groups: [...groups].map(([pgid, start]) => ({ pgid, start })),
      composeProjects: [...composeProjects],
      dirs: [...dirs],
    };
    // Written whole and renamed, so a sweeping runner never reads half a ledger.
    writeFileSync(`${file}.tmp`, JSON.stringify(ledger));
    renameSync(`${file}.tmp`, file);
  } catch {
    // The ledger only helps a later run clean up; a run never fails for it.
  }
}

/** Kills the groups and removes the dirs of every runner that died without its teardown. */
export function sweepLeftovers(ledgers = ledgerDir()): SweepSummary {
  const summary = { runs: [] as number[], processGroups: 0, composeProjects: 0, dirs: 0 };
  if (!isTrustedFolder(ledgers)) return summary;
  const names = readdirSync(ledgers).filter((name) => /^\d+\.json$/.test(name));
  for (const name of names) {
    const file = join(ledgers, name);
    const ledger = readLedger(file);
    if (!ledger || processStartTime(ledger.pid) === ledger.start) continue;
    for (const group of ledger.groups) {
      if (processStartTime(group.pgid) !== group.start) continue;
      killTreeNow(group.pgid);
      summary.processGroups += 1;
    }
    for (const project of ledger.composeProjects ?? []) {
      if (!COMPOSE_PROJECT_NAME.test(project) || !removedQuietly(project)) continue;
      summary.composeProjects += 1;
    }
    for (const dir of ledger.dirs) {
      if (!isAbsolute(dir) || !basename(dir).startsWith(OWN_DIR_PREFIX)) continue;
      rmSync(dir, { recursive: true, force: true });
      summary.dirs += 1;
    }
    rmSync(file, { force: true });
    summary.runs.push(ledger.pid);
  }
  return summary;
}

/** A machine without Docker any more cannot have the project either. */
function removedQuietly(project: string): boolean {
  try {
    removeProjectNow(project);
    return true;
  } catch {
    return false;
  }
}

function readLedger(file: string): Ledger | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return isLedger(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isLedger(value: unknown): value is Ledger {
  if (typeof value !== 'object' || value === null) return false;
  const ledger = value as Partial<Ledger>;
  return (
    typeof ledger.pid === 'number' &&
    typeof ledger.start === 'string' &&
    Array.isArray(ledger.groups) &&
    ledger.groups.every((group) => typeof group?.pgid === 'number' && typeof group?.start === 'string') &&
    (ledger.composeProjects === undefined || (Array.isArray(ledger.composeProjects) && ledger.composeProjects.every((name) => typeof name === 'string'))) &&
    Array.isArray(ledger.dirs) &&
    ledger.dirs.every((dir) => typeof dir === 'string')
  );
}

/** One line for the console: what an earlier, killed run had left and is now gone. */
export function describeSweep(summary: SweepSummary): string | undefined {
  if (summary.runs.length === 0) return undefined;
  const runs = summary.runs.length === 1 ? `a killed run (pid ${summary.runs[0]})` : `${summary.runs.length} killed runs (pids ${summary.runs.join(', ')})`;
  const projects = summary.composeProjects > 0 ? `, ${summary.composeProjects} compose project(s) removed` : '';
  return `cleaned up after ${runs}: ${summary.processGroups} process group(s) stopped${projects}, ${summary.dirs} temp dir(s) removed`;
}
