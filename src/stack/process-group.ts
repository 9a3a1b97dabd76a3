/**
 * Process groups: every service is spawned detached, so it leads its own group
 * and the whole tree it forks can be signalled at once. Linux's /proc tells
 * which members are still alive; zombies do not count (they hold nothing).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { onEmergencyKill } from '../runner/emergency.ts';

interface ProcStat {
  readonly pid: number;
  readonly state: string;
  readonly pgrp: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name may contain spaces and parentheses: fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { pid, state: fields[0] ?? '?', pgrp: Number(fields[2]) };
}

const hasProc = (() => {
  try {
    readdirSync('/proc/self');
    return true;
  } catch {
    return false;
  }
})();

/** Whether `pid` is running (a zombie is not). */
export function isProcessAlive(pid: number): boolean {
  if (hasProc) {
    const stat = readStat(pid);
    return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
  }
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
  const members: number[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') members.push(pid);
  }
  return members;
}

function isGroupSignalable(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to the group (or only its leader); a vanished target is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals, leaderOnly = false): void {
  try {
    process.kill(leaderOnly ? pgid : -pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

export interface TerminateOptions {
  readonly signal: NodeJS.Signals;
  /** How long members get to exit after `signal` before SIGKILL. */
  readonly graceMs: number;
  /** Send `signal` to the leader only (it stops its own children, e.g. postgres); SIGKILL still hits the group. */
  readonly leaderOnly?: boolean;
}

const POLL_MS = 20;
const AFTER_KILL_MS = 3_000;

/**
 * Signals the group, waits up to `graceMs` for every member to be gone, then
 * SIGKILLs whatever is left and waits for that too. Returns true if the group
 * is empty at the end.
 */
export async function terminateGroup(pgid: number, options: TerminateOptions): Promise<boolean> {
  if (groupMembers(pgid).length === 0) return true;
  signalGroup(pgid, options.signal, options.leaderOnly);
  if (await waitForEmptyGroup(pgid, options.graceMs)) return true;
  signalGroup(pgid, 'SIGKILL');
  return waitForEmptyGroup(pgid, AFTER_KILL_MS);
}

async function waitForEmptyGroup(pgid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (groupMembers(pgid).length > 0) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return true;
}

const liveGroups = new Set<number>();
let exitHookInstalled = false;

/**
 * Remembers a live group so that the runner's emergency kill (second SIGINT)
 * and this process's `exit` reach it even when no orderly teardown runs.
 * Returns the function that forgets it again, once the group is gone.
 */
export function trackGroup(pgid: number): () => void {
  liveGroups.add(pgid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', killLiveProcessGroups);
  }
  const forgetEmergency = onEmergencyKill(() => signalGroup(pgid, 'SIGKILL'));
  return () => {
    liveGroups.delete(pgid);
    forgetEmergency();
  };
}

/** SIGKILLs every tracked group, synchronously. Temporary directories are left to the OS then. */
export function killLiveProcessGroups(): number {
  const count = liveGroups.size;
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
  liveGroups.clear();
  return count;
}
