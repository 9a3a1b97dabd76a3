/**
 * The one registry of what a run owns outside its own process: process
 * groups, containers, compose projects (with their networks and volumes),
 * temp dirs and the Hub's database on a shared server (`--db url`). A resource registers once, before it starts, with its orderly
 * teardown and, as soon as it is known, what names it (`Leftover`). Four
 * readers share that entry:
 * - the orderly teardown (the run's TeardownRegistry, newest first);
 * - the second Ctrl-C and this process's `exit`, through `killAllNow`;
 * - the next run's sweep, through the ledger file (leftovers.ts).
 * Once its teardown has succeeded a resource leaves the registry.
 */
import { killLeftoverNow, writeLedger, type Leftover } from './leftovers.ts';
import type { TeardownRegistry } from './types.ts';

export type { Leftover } from './leftovers.ts';

export interface OwnedResource {
  /** Names the resource once it exists (a process group has no pid before it is spawned). */
  bind(leftover: Leftover): void;
}

interface Entry {
  readonly name: string;
  leftover?: Leftover;
}

/** In registration order; the kill and the sweep go newest first. */
const owned = new Set<Entry>();
let exitHookInstalled = false;

/**
 * Registers a resource about to start: `stop` joins `teardowns`, and the
 * resource is in the kill list and the ledger from `leftover` (given here, or
 * later through `bind`) until `stop` has succeeded.
 */
export function own(
  teardowns: TeardownRegistry,
  name: string,
  stop: () => Promise<void>,
  leftover?: Leftover,
): OwnedResource {
  const entry: Entry = { name, ...(leftover ? { leftover } : {}) };
  owned.add(entry);
  installExitHook();
  if (leftover) saveLedger();
  teardowns.defer(name, async () => {
    await stop();
    if (owned.delete(entry) && entry.leftover) saveLedger();
  });
  return {
    bind(value) {
      entry.leftover = value;
      if (owned.has(entry)) saveLedger();
    },
  };
}

/**
 * Ends everything still owned, at once and synchronously: the second Ctrl-C
 * and the `exit` hook, when no orderly teardown will run. What could not be
 * ended stays in the ledger for the next run's sweep.
 */
export function killAllNow(): number {
  let ended = 0;
  for (const entry of [...owned].reverse()) {
    if (!entry.leftover) continue;
    try {
      killLeftoverNow(entry.leftover);
      owned.delete(entry);
      ended += 1;
    } catch {
      // Docker gone, or the dir busy: the ledger keeps it for the next sweep.
    }
  }
  saveLedger();
  return ended;
}

/** What is owned right now, oldest first (for tests and diagnostics). */
export function ownedNow(): readonly { readonly name: string; readonly leftover?: Leftover }[] {
  return [...owned].map((entry) => ({ ...entry }));
}

function saveLedger(): void {
  writeLedger([...owned].flatMap((entry) => (entry.leftover ? [entry.leftover] : [])));
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => void killAllNow());
}
