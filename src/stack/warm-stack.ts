/**
 * A warm stack: one that `stack up --detach` started and keeps for many runs.
 * Its owner process writes `<root>/.santokit-it/stack.json` (readable by this
 * user only: it holds the stack's secrets, so runs can redact them) once the
 * stack is ready, and removes it at teardown. A run with --reuse-stack uses
 * it only when its owner still lives (pid and start time), it was built from
 * the sources this run would start, and its Hub and Bridge answer; scenarios
 * still make their own projects and databases on it. The owner's resources
 * stay in the owner's ledger, so no sweep takes them while it lives.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LOOPBACK_ONLY_ENV } from './options.ts';
import { processStartTime } from './process-group.ts';
import { changedParts, type SourceParts } from './reference-sources.ts';
import { createLocalStk } from './stk.ts';
import type { IdpHandle, ObjectStoreHandle, StackHandles } from './types.ts';
import type { StackKind } from '../model/stack.ts';
import type { WarmControl } from './warm-control.ts';

export const WARM_STACK_FILE = '.santokit-it/stack.json';
const VERSION = 1;
/** Stands for a database name in the recorded URL templates. */
const DATABASE = 'santokit_it_database_name';

export interface WarmStackRecord {
  readonly version: typeof VERSION;
  readonly owner: { readonly pid: number; readonly start: string };
  readonly startedAt: string;
  readonly sources: SourceParts;
  /** Where the services' log files are. */
  readonly logDir: string;
  readonly stack: {
    readonly kind: StackKind;
    readonly hubUrl: string;
    readonly bridgeUrl: string;
    readonly adminDatabaseUrl: string;
    readonly runnerDatabaseUrl: string;
    readonly serviceDatabaseUrl: string;
    readonly stkArgv: readonly string[];
    readonly idp?: IdpHandle;
    readonly objectStore?: ObjectStoreHandle;
    readonly workDir?: string;
    readonly operator: { readonly email: string; readonly password: string };
  };
  /** Secrets the stack made or was given: a reusing run's redactor learns them. */
  readonly secrets: readonly { readonly value: string; readonly kind: string }[];
  /** Where the owner takes refresh requests (warm-control.ts); absent when its stack cannot restart services. */
  readonly control?: WarmControl;
}

/** Only stacks whose `stk` runs on this machine can be picked up by another process. */
export function canDetach(kind: StackKind): boolean {
  return kind !== 'compose';
}

export function describeWarmStack(
  handles: StackHandles,
  owner: WarmStackRecord['owner'],
  sources: SourceParts,
  logDir: string,
  secrets: WarmStackRecord['secrets'],
  now: { readonly control?: WarmControl; readonly stkArgv?: readonly string[] } = {},
): WarmStackRecord {
  return {
    version: VERSION,
    owner,
    startedAt: new Date().toISOString(),
    sources,
    logDir,
    stack: {
      kind: handles.kind,
      hubUrl: handles.hubUrl,
      bridgeUrl: handles.bridgeUrl,
      adminDatabaseUrl: handles.adminDatabaseUrl,
      runnerDatabaseUrl: handles.runnerDatabaseUrl(DATABASE),
      serviceDatabaseUrl: handles.serviceDatabaseUrl(DATABASE),
      stkArgv: now.stkArgv ?? handles.stk.argv,
      ...(handles.idp ? { idp: handles.idp } : {}),
      ...(handles.objectStore ? { objectStore: handles.objectStore } : {}),
      ...(handles.workDir ? { workDir: handles.workDir } : {}),
      operator: handles.operator,
    },
    secrets,
    ...(now.control ? { control: now.control } : {}),
  };
}

export function writeWarmStack(root: string, record: WarmStackRecord): void {
  const file = join(root, WARM_STACK_FILE);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(record, null, 1)}\n`, { mode: 0o600 });
  chmodSync(`${file}.tmp`, 0o600);
  renameSync(`${file}.tmp`, file);
}

/** Undefined when there is none, it is not this user's, or it does not parse. */
export function readWarmStack(root: string): WarmStackRecord | undefined {
  const file = join(root, WARM_STACK_FILE);
  try {
    const uid = process.getuid?.();
    if (uid !== undefined && statSync(file).uid !== uid) return undefined;
    const record = JSON.parse(readFileSync(file, 'utf8')) as Partial<WarmStackRecord>;
    return record.version === VERSION && record.owner && record.stack && record.sources
      ? (record as WarmStackRecord)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Removes the record if `pid` owns it (a newer warm stack's record stays). */
export function removeWarmStack(root: string, pid: number): void {
  if (readWarmStack(root)?.owner.pid === pid) rmSync(join(root, WARM_STACK_FILE), { force: true });
}

export function ownerAlive(record: WarmStackRecord): boolean {
  return processStartTime(record.owner.pid) === record.owner.start;
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

export type WarmCheck =
  | { readonly usable: true; readonly record: WarmStackRecord }
  | {
      readonly usable: false;
      readonly reason: string;
      readonly record?: WarmStackRecord;
      readonly changed?: readonly string[];
    };

/** Whether a run may use the warm stack at `root`, and if not, why (in words for the user). */
export async function checkWarmStack(root: string, sources: SourceParts): Promise<WarmCheck> {
  const record = readWarmStack(root);
  if (!record)
    return {
      usable: false,
      reason: `no warm stack recorded (${WARM_STACK_FILE}); start one with \`santokit-it stack up --detach\``,
    };
  const owner = `pid ${record.owner.pid}`;
  if (!ownerAlive(record)) return { usable: false, reason: `the warm stack's owner (${owner}) is gone`, record };
  const changed = changedParts(record.sources, sources);
  if (changed.length > 0)
    return {
      usable: false,
      reason: `the warm stack (${owner}) was started from other sources (${changed.join(', ')} changed since)`,
      record,
      changed,
    };
  const [hub, bridge] = await Promise.all([
    answers(`${record.stack.hubUrl}/healthz`),
    answers(`${record.stack.bridgeUrl}/healthz`),
  ]);
  if (!hub || !bridge)
    return {
      usable: false,
      reason: `the warm stack (${owner}) does not answer (${[!hub && 'hub', !bridge && 'bridge'].filter(Boolean).join(', ')})`,
      record,
    };
  return { usable: true, record };
}

/** The last `count` lines of a log file (its last 256 KiB: a warm stack's logs grow with every run). */
function tailOf(file: string, count: number): string[] {
  try {
    const text = readFileSync(file)
      .subarray(-256 * 1024)
      .toString('utf8');
    return text
      .split('\n')
      .filter((line) => line !== '')
      .slice(-count);
  } catch {
    return [];
  }
}

function logFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.log'))
      .sort();
  } catch {
    return [];
  }
}

/** Handles on the warm stack for a run in another process: URLs, `stk` and log files; nothing of it is this run's to stop. */
export function warmStackHandles(record: WarmStackRecord): StackHandles {
  const { stack } = record;
  const stkEnv =
    stack.kind === 'external' ? { STK_HUB_URL: stack.hubUrl } : { STK_HUB_URL: stack.hubUrl, ...LOOPBACK_ONLY_ENV };
  return {
    kind: stack.kind,
    hubUrl: stack.hubUrl,
    bridgeUrl: stack.bridgeUrl,
    adminDatabaseUrl: stack.adminDatabaseUrl,
    runnerDatabaseUrl: (name) => stack.runnerDatabaseUrl.replace(DATABASE, name),
    serviceDatabaseUrl: (name) => stack.serviceDatabaseUrl.replace(DATABASE, name),
    stk: createLocalStk(stack.stkArgv, stkEnv),
    ...(stack.idp ? { idp: stack.idp } : {}),
    ...(stack.objectStore ? { objectStore: stack.objectStore } : {}),
    ...(stack.workDir ? { workDir: stack.workDir } : {}),
    operator: stack.operator,
    logTails: (lines = 50) =>
      logFiles(record.logDir)
        .map((file) => ({ service: file.slice(0, -'.log'.length), lines: tailOf(join(record.logDir, file), lines) }))
        .filter((tail) => tail.lines.length > 0),
  };
}
