/**
 * What the runner asks of the stack (`--stack`, `--hub-bin`, `--db`, …), and
 * the checks that turn bad combinations into a UsageError (exit 2) before
 * anything starts.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { DB_SOURCES, STACK_KINDS, type DbSource, type StackKind } from '../model/stack.ts';

export type { DbSource } from '../model/stack.ts';

/** A program to start: what `--hub-bin` and friends become. */
export interface CommandLine {
  readonly command: string;
  readonly args: readonly string[];
  /** On top of the runner's environment; `undefined` removes a variable. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * What the reference services and stk can start without: they speak plain
 * HTTP on loopback, and Node 20 parses every certificate of
 * NODE_EXTRA_CA_CERTS when it starts (about 90 ms of CPU per process for a
 * system bundle; scenarios start stk hundreds of times).
 */
export const LOOPBACK_ONLY_ENV: Readonly<Record<string, undefined>> = { NODE_EXTRA_CA_CERTS: undefined };

export interface Operator {
  readonly email: string;
  readonly password: string;
}

export interface ComposeSettings {
  /** Extra compose files after `docker-compose.yaml`; `docker/compose.upstream.yaml` is added when SANTOKIT_SRC is set. */
  readonly files?: readonly string[];
  /**
   * Pass `--build` to `up`. Default: only with SANTOKIT_SRC; the reference
   * image is tagged by a hash of its sources, so it is built when that tag is
   * missing and reused otherwise.
   */
  readonly build?: boolean;
  /** Upstream Santokit checkout to build hub/bridge/cli from (default: $SANTOKIT_SRC). */
  readonly santokitSrc?: string;
  /** Compose project name (default: unique per run). */
  readonly projectName?: string;
}

export interface StackOptions {
  readonly stack: StackKind;
  /** process: the Hub executable (a path, or a command line; `.js`/`.ts` files run with node). */
  readonly hubBin?: string;
  readonly bridgeBin?: string;
  /** process/external: the stk executable (default: the reference stk). */
  readonly stkBin?: string;
  /** embedded/process: where PostgreSQL comes from (default embedded). */
  readonly db?: DbSource;
  /** external: the running Hub and Bridge. */
  readonly hubUrl?: string;
  readonly bridgeUrl?: string;
  /** Admin Postgres URL (external, `--db url`). */
  readonly databaseUrl?: string;
  readonly operator?: Operator;
  /** The santokit-it package root: `reference/`, `docker-compose.yaml` live here. */
  readonly repoRoot: string;
  /** Accepted for the runner's sake; providers never print (output goes to onServiceLine). */
  readonly verbose?: boolean;
  /** Per-service readiness deadline (default 30 s; compose 120 s). */
  readonly startTimeoutMs?: number;
  /** Test hook: replace the Hub, Bridge or stk command of the embedded and process stacks. */
  readonly services?: { readonly hub?: CommandLine; readonly bridge?: CommandLine; readonly stk?: CommandLine };
  readonly compose?: ComposeSettings;
  /** Environment to read SANTOKIT_SRC / STK_IT_* from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export const DEFAULT_OPERATOR: Operator = { email: 'owner@example.com', password: 'password' };

/** Throws UsageError for a combination that cannot work; returns nothing otherwise. */
export function validateStackOptions(options: StackOptions): void {
  const { stack } = options;
  if (!isOneOf(STACK_KINDS, stack))
    throw new UsageError(`unknown stack "${String(stack)}"`, `use one of: ${STACK_KINDS.join(', ')}`);
  if (options.db !== undefined && !isOneOf(DB_SOURCES, options.db))
    throw new UsageError(`unknown --db "${String(options.db)}"`, `use one of: ${DB_SOURCES.join(', ')}`);
  onlyFor(options, 'hubUrl', '--hub-url', ['external']);
  onlyFor(options, 'bridgeUrl', '--bridge-url', ['external']);
  onlyFor(options, 'hubBin', '--hub-bin', ['process']);
  onlyFor(options, 'bridgeBin', '--bridge-bin', ['process']);
  onlyFor(options, 'stkBin', '--stk-bin', ['process', 'external']);
  onlyFor(options, 'db', '--db', ['embedded', 'process']);
  if (stack === 'external') {
    need(options.hubUrl, '--stack external needs --hub-url');
    need(options.bridgeUrl, '--stack external needs --bridge-url');
    need(options.databaseUrl, '--stack external needs --database-url (or DATABASE_URL)');
  }
  if (stack === 'process') {
    need(options.hubBin ?? options.services?.hub, '--stack process needs --hub-bin');
    need(options.bridgeBin ?? options.services?.bridge, '--stack process needs --bridge-bin');
  }
  if (options.db === 'url') need(options.databaseUrl, '--db url needs --database-url (or DATABASE_URL)');
  for (const [flag, value] of [
    ['--hub-url', options.hubUrl],
    ['--bridge-url', options.bridgeUrl],
  ] as const) {
    if (value !== undefined) checkUrl(flag, value, ['http:', 'https:']);
  }
  if (options.databaseUrl !== undefined) checkUrl('--database-url', options.databaseUrl, ['postgres:', 'postgresql:']);
}

function onlyFor(options: StackOptions, key: keyof StackOptions, flag: string, kinds: readonly StackKind[]): void {
  if (options[key] === undefined || kinds.includes(options.stack)) return;
  throw new UsageError(
    `${flag} does not apply to --stack ${options.stack}`,
    `it is used by --stack ${kinds.join(' or ')}`,
  );
}

function isOneOf(list: readonly string[], value: string): boolean {
  return list.includes(value);
}

function need(value: unknown, message: string): void {
  if (value === undefined || value === '') throw new UsageError(message);
}

function checkUrl(flag: string, value: string, protocols: readonly string[]): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} is not a URL: ${value}`);
  }
  if (!protocols.includes(url.protocol))
    throw new UsageError(`${flag} must be a ${protocols.join(' or ')} URL, got ${value}`);
}

/**
 * `--hub-bin` and friends: an existing path as is, otherwise a command line
 * split on spaces. Scripts run with this node: `.js`/`.mjs` directly, `.ts`
 * through tsx. Relative paths resolve against `cwd`.
 */
export function parseCommandLine(value: string, cwd: string): CommandLine {
  const whole = resolvePath(value, cwd);
  const words = existsSync(whole) ? [whole] : value.trim().split(/\s+/);
  const [first = '', ...rest] = words;
  const program = first.includes('/') || existsSync(resolve(cwd, first)) ? resolvePath(first, cwd) : first;
  if (/\.(c|m)?js$/.test(program)) return { command: process.execPath, args: [program, ...rest] };
  if (/\.(c|m)?ts$/.test(program)) return { command: process.execPath, args: ['--import', 'tsx', program, ...rest] };
  return { command: program, args: rest };
}

function resolvePath(path: string, cwd: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}
