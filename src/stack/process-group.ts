/**
 * Process trees: every service is spawned detached, so it leads its own group,
 * and is ended as a tree: its group plus every descendant by parent pid (some
 * programs, PostgreSQL among them, move their children into new sessions).
 * Linux's /proc tells who is alive; zombies do not count (they hold nothing).
 */
import { readdirSync, readFileSync } from 'node:fs';

interface ProcStat {
  readonly pid: number;
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  /** Clock ticks since boot (field 22). */
  readonly startTime: string;
  /** User plus system CPU of the children it has waited for, in clock ticks (fields 16 and 17). */
  readonly waitedChildrenTicks: number;
}

/** One line of /proc/<pid>/stat, parsed; undefined when the process (or /proc) is not there. */
export function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name may contain spaces and parentheses: fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return {
    pid,
    state: fields[0] ?? '?',
    ppid: Number(fields[1]),
    pgrp: Number(fields[2]),
    startTime: fields[19] ?? '',
    waitedChildrenTicks: Number(fields[13]) + Number(fields[14]),
  };
}

const hasProc = (() => {
  try {
    readdirSync('/proc/self');
    return true;
  } catch {
    return false;
  }
})();

const isLive = (stat: ProcStat | undefined): stat is ProcStat =>
  stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';

function liveProcesses(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (isLive(stat)) out.push(stat);
  }
  return out;
}

/**
 * When `pid` started, in clock ticks since boot (field 22 of /proc/<pid>/stat),
 * as a string; with the pid it names one process for good. Undefined when it
 * is not running or there is no /proc.
 */
export function processStartTime(pid: number): string | undefined {
  const stat = readStat(pid);
  return isLive(stat) ? stat.startTime : undefined;
}

/** Whether `pid` is running (a zombie is not). */
export function isProcessAlive(pid: number): boolean {
  if (hasProc) return isLive(readStat(pid));
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Live (non-zombie) members of process group `pgid`. */
export function groupMembers(pgid: number): number[] {
  if (!hasProc) return isGroupSignalable(pgid) ? [pgid] : [];
  return liveProcesses()
    .filter((stat) => stat.pgrp === pgid)
    .map((stat) => stat.pid);
}

/** Live members of the tree rooted at `root`: its group plus all descendants of `root` and of `known`. */
export function treeMembers(root: number, known: Iterable<number> = []): number[] {
  if (!hasProc) return groupMembers(root);
  const all = liveProcesses();
  const members = new Set<number>(all.filter((stat) => stat.pgrp === root).map((stat) => stat.pid));
  const parents = new Set<number>([root, ...known, ...members]);
  for (let grew = true; grew;) {
    grew = false;
    for (const stat of all) {
      if (parents.has(stat.ppid) && !members.has(stat.pid)) {
        members.add(stat.pid);
        parents.add(stat.pid);
        grew = true;
      }
    }
  }
  if (all.some((stat) => stat.pid === root)) members.add(root);
  return [...members];
}

function isGroupSignalable(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to one process (`pid`) or a group (`-pgid`); a vanished target is not an error. */
function signalQuietly(target: number, signal: NodeJS.Signals): void {
  try {
    process.kill(target, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

export interface TerminateOptions {
  readonly signal: NodeJS.Signals;
  /** How long members get to exit after `signal` before SIGKILL. */
  readonly graceMs: number;
  /** Send `signal` to the root only (it stops its own children, e.g. postgres); SIGKILL still hits the whole tree. */
  readonly leaderOnly?: boolean;
}

const POLL_MS = 20;
const AFTER_KILL_MS = 3_000;

/**
 * Signals the tree rooted at `root`, waits up to `graceMs` for every member to
 * be gone, then SIGKILLs whatever is left and waits for that too. Members are
 * remembered as they are seen, so children orphaned on the way are not lost.
 * Returns true if nothing of the tree is alive at the end.
 */
export async function terminateTree(root: number, options: TerminateOptions): Promise<boolean> {
  const seen = new Set(treeMembers(root));
  if (seen.size === 0) return true;
  signalQuietly(options.leaderOnly ? root : -root, options.signal);
  if (!options.leaderOnly) for (const pid of seen) signalQuietly(pid, options.signal);
  if (await waitForEmptyTree(root, seen, options.graceMs)) return true;
  signalQuietly(-root, 'SIGKILL');
  for (const pid of treeMembers(root, seen)) signalQuietly(pid, 'SIGKILL');
  return waitForEmptyTree(root, seen, AFTER_KILL_MS);
}

async function waitForEmptyTree(root: number, seen: Set<number>, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const alive = treeMembers(root, seen).concat([...seen].filter(isProcessAlive));
    for (const pid of alive) seen.add(pid);
    if (alive.length === 0) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** SIGKILLs the group `root` leads and every descendant, synchronously. */
export function killTreeNow(root: number): void {
  const members = treeMembers(root);
  signalQuietly(-root, 'SIGKILL');
  for (const pid of members) signalQuietly(pid, 'SIGKILL');
}
