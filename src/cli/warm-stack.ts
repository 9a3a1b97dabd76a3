/**
 * The warm stack from the command line: `stack up --detach` (start an owner
 * process in the background and wait until its stack is ready), the owner's
 * side (record the stack, forget it at teardown), `stack down`, and the
 * provider `run --reuse-stack` uses.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { ExitCode, UsageError } from '../errors.ts';
import type { Redactor } from '../redact/redactor.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import type { StackHandles, StackProvider, TeardownRegistry } from '../stack/types.ts';
import { describeSweep, sweepLeftovers } from '../stack/leftovers.ts';
import { isScenarioDatabase, dropDatabases } from '../stack/postgres/run-databases.ts';
import { processStartTime } from '../stack/process-group.ts';
import { servicesForParts, startWarmControl, type WarmControl } from '../stack/warm-control.ts';
import { changedParts, referenceSourceParts, type SourceParts } from '../stack/reference-sources.ts';
import {
  canDetach,
  describeWarmStack,
  ownerAlive,
  readWarmStack,
  removeWarmStack,
  WARM_STACK_FILE,
  writeWarmStack,
  type WarmStackRecord,
} from '../stack/warm-stack.ts';
import type { CliIo } from './io.ts';
import { resolveFrom } from './options.ts';
import { stackProviderFactory, type StackFlags } from './stack-flags.ts';

/** The owner process reads the `stack up` flags it was started with from here. */
export const OWNER_FLAGS_ENV = 'SANTOKIT_IT_WARM_STACK_FLAGS';
const READY_DEADLINE_MS = 180_000;
const STOP_DEADLINE_MS = 60_000;

function sourcesOf(flags: StackFlags, cwd: string): SourceParts {
  const binaries = [flags.hubBin, flags.bridgeBin, flags.stkBin]
    .filter((value): value is string => value !== undefined)
    .map((path) => resolveFrom(cwd, path));
  return referenceSourceParts(PACKAGE_ROOT, binaries);
}

/** `run --reuse-stack`: the warm stack when it can be used, else the stack the flags describe. */
export function reusingStackFactory(flags: StackFlags, io: CliIo, root: string): () => Promise<StackProvider> {
  const fresh = stackProviderFactory(flags, io.env);
  return async () =>
    (await import('../stack/reuse-provider.ts')).createReusingProvider(
      root,
      sourcesOf(flags, io.cwd),
      readWarmStack(root)?.stack.kind ?? flags.stack,
      fresh,
    );
}

/** Owner side: a redactor that also remembers every secret the stack registers, for the record. */
export function rememberingSecrets(redactor: Redactor): {
  redactor: Redactor;
  secrets: { value: string; kind: string }[];
} {
  const secrets: { value: string; kind: string }[] = [];
  return {
    secrets,
    redactor: {
      text: (text) => redactor.text(text),
      value: (value) => redactor.value(value),
      addSecret: (value, kind) => (secrets.push({ value, kind }), redactor.addSecret(value, kind)),
    },
  };
}

/** The stk a run should start now: the reference one follows dist/'s freshness, as a fresh stack's would. */
async function currentStk(flags: StackFlags, recorded: readonly string[]): Promise<readonly string[]> {
  if (flags.stack !== 'embedded' || flags.stkBin) return recorded;
  return (await import('../stack/providers/embedded.ts')).referenceStk(PACKAGE_ROOT);
}

/**
 * Owner side, once the stack is ready: record it, and take refresh requests
 * (restart the services whose sources changed, record it again); at
 * teardown, before anything stops, forget it.
 */
export async function recordWarmStack(
  root: string,
  handles: StackHandles,
  flags: StackFlags & { readonly outputDir: string },
  io: CliIo,
  teardowns: TeardownRegistry,
  secrets: WarmStackRecord['secrets'],
): Promise<void> {
  const owner = { pid: process.pid, start: processStartTime(process.pid) ?? '' };
  const logDir = join(resolveFrom(io.cwd, flags.outputDir), 'logs');
  let stkArgv = handles.stk.argv;
  let control: WarmControl | undefined;
  const record = () =>
    writeWarmStack(
      root,
      describeWarmStack(handles, owner, sourcesOf(flags, io.cwd), logDir, secrets, {
        stkArgv,
        ...(control ? { control } : {}),
      }),
    );
  if (handles.restart) {
    const started = await startWarmControl({
      async refresh(parts) {
        const services = servicesForParts(parts);
        if (services === undefined) throw new Error(`no restart follows a change to ${parts.join(', ')}`);
        await handles.restart?.(services);
        stkArgv = await currentStk(flags, stkArgv);
        record();
        return services;
      },
      dropDatabases: (names) => dropDatabases(handles.adminDatabaseUrl, names.filter(isScenarioDatabase)),
    });
    control = { url: started.url, token: started.token };
    teardowns.defer('close the warm stack control', () => started.close());
  }
  record();
  teardowns.defer('forget the warm stack', async () => removeWarmStack(root, process.pid));
}

interface DetachFlags extends StackFlags {
  readonly root: string;
  readonly outputDir: string;
}

function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '';
  }
}

/**
 * `stack up --detach`: starts `stack up` again as a background owner and
 * returns once its stack.json appears (its output and the services' logs go
 * to `<output-dir>/warm-stack/logs/`). A usable warm stack already up is kept; a stale one is
 * stopped first.
 */
export async function detachStack(
  flags: DetachFlags,
  io: CliIo,
  print: (stack: WarmStackRecord) => void,
): Promise<number> {
  const screen = io.screen(undefined);
  const root = resolveFrom(io.cwd, flags.root);
  if (!canDetach(flags.stack))
    throw new UsageError(
      `--detach does not support --stack ${flags.stack}`,
      'Detach an embedded, process or external stack; a compose stack runs its stk in a container only its starter can reach.',
    );
  const current = readWarmStack(root);
  if (current && ownerAlive(current)) {
    const changed = changedParts(current.sources, sourcesOf(flags, io.cwd));
    if (changed.length === 0) {
      screen.err(`a warm stack is already up here (pid ${current.owner.pid}, since ${current.startedAt})\n`);
      print(current);
      return ExitCode.passed;
    }
    screen.err(
      `the warm stack (pid ${current.owner.pid}) was started from other sources (${changed.join(', ')} changed): replacing it\n`,
    );
    await stopOwner(current, io);
  }
  // Its own folder: runs on fresh stacks write their service logs under --output-dir too.
  const outputDir = join(resolveFrom(io.cwd, flags.outputDir), 'warm-stack');
  mkdirSync(join(outputDir, 'logs'), { recursive: true });
  const log = join(outputDir, 'logs', 'owner.log');
  const fd = openSync(log, 'a');
  const env = { ...io.env, [OWNER_FLAGS_ENV]: JSON.stringify({ ...flags, root, outputDir }) };
  const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin/santokit-it.js'), 'stack', 'up', '--warm-owner'], {
    cwd: io.cwd,
    env,
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const record = await waitForRecord(root, child, io.signal);
  child.unref();
  if (record === undefined) {
    screen.err(
      `the warm stack did not start (exit code ${child.exitCode ?? 'none'}); the last lines of ${log}:\n${logTail(log)}\n`,
    );
    return io.signal.aborted ? ExitCode.interrupted : ExitCode.stackFailed;
  }
  print(record);
  return ExitCode.passed;
}

async function waitForRecord(
  root: string,
  child: ReturnType<typeof spawn>,
  signal: AbortSignal,
): Promise<WarmStackRecord | undefined> {
  let exited = false;
  child.once('exit', () => void (exited = true));
  const deadline = Date.now() + READY_DEADLINE_MS;
  while (!exited && !signal.aborted && Date.now() < deadline) {
    const record = readWarmStack(root);
    if (record?.owner.pid === child.pid) return record;
    await sleep(100);
  }
  // Interrupted or too slow: the owner tears its stack down on SIGTERM.
  if (!exited) child.kill('SIGTERM');
  await new Promise<void>((resolve) =>
    exited || child.exitCode !== null ? resolve() : child.once('exit', () => resolve()),
  );
  return undefined;
}

/** SIGTERM to the owner and wait for it to finish its teardown; a hung owner is killed and its leftovers swept. */
async function stopOwner(record: WarmStackRecord, io: CliIo): Promise<void> {
  const screen = io.screen(undefined);
  try {
    process.kill(record.owner.pid, 'SIGTERM');
  } catch {
    // Gone between the check and the signal.
  }
  const deadline = Date.now() + STOP_DEADLINE_MS;
  while (ownerAlive(record) && Date.now() < deadline) await sleep(100);
  if (ownerAlive(record)) {
    screen.err(
      `the warm stack's owner (pid ${record.owner.pid}) did not stop in ${STOP_DEADLINE_MS / 1000} s: killing it\n`,
    );
    process.kill(record.owner.pid, 'SIGKILL');
    while (ownerAlive(record)) await sleep(50);
  }
  const swept = describeSweep(sweepLeftovers());
  if (swept) screen.err(`${swept}\n`);
}

/** `stack down`: stops the warm stack at --root, if there is one; exits 0 either way. */
export async function stackDownCommand(
  flags: { readonly root: string; readonly color?: boolean },
  io: CliIo,
): Promise<number> {
  const screen = io.screen(flags.color);
  const root = resolveFrom(io.cwd, flags.root);
  const record = readWarmStack(root);
  if (!record) {
    screen.err(`no warm stack is up here (${WARM_STACK_FILE} not found)\n`);
    return ExitCode.passed;
  }
  const alive = ownerAlive(record);
  await stopOwner(record, io);
  removeWarmStack(root, record.owner.pid);
  screen.out(
    alive
      ? `stopped the warm stack (pid ${record.owner.pid})\n`
      : `the warm stack's owner (pid ${record.owner.pid}) was already gone; its record is removed\n`,
  );
  return ExitCode.passed;
}

/** The owner process runs with the flags `stack up --detach` was given (they travel in the environment, not in argv). */
export function ownerFlags<T extends object>(given: T, env: NodeJS.ProcessEnv): T {
  const passed = env[OWNER_FLAGS_ENV];
  if (passed === undefined)
    throw new UsageError('--warm-owner is internal to stack up --detach', 'Run santokit-it stack up --detach.');
  return { ...given, ...(JSON.parse(passed) as Partial<T>), detach: false };
}
