/**
 * The stack a scenario sees, whatever provider started it, and the contract
 * between the runner and the stack providers.
 */

import type { LogTail, StackKind } from '../model/stack.ts';
import type { CliRun } from '../model/transcript.ts';
import type { Redactor } from '../redact/redactor.ts';

export type { LogTail, StackKind } from '../model/stack.ts';

export interface StkRunOptions {
  /** Extra environment on top of the stack's own (STK_HUB_URL, …). */
  readonly env?: Readonly<Record<string, string>>;
  /** Host path of a Santokit project folder; providers map it into containers. */
  readonly cwd?: string;
  readonly input?: string;
  readonly timeoutMs?: number;
}

/** How a `stk` call ended. */
export type StkResult = CliRun;

/** A command line that starts `stk` the way `run` does; `env` is complete when `extendEnv` is false. */
export interface StkCommandLine {
  readonly file: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly extendEnv: boolean;
  readonly cwd?: string;
}

export interface StkHandle {
  /** argv prefix that runs `stk` from the runner's side (e.g. `[node, …/stk.js]` or `[docker, exec, …, stk]`). */
  readonly argv: readonly string[];
  /** Never rejects on a non-zero exit: exit code and output are assertion targets. */
  run(args: readonly string[], options?: StkRunOptions): Promise<StkResult>;
  /** How `run` would start `stk` with `args`, for a caller that keeps the process itself (a long-running server); starts nothing. */
  command(args: readonly string[], options?: Pick<StkRunOptions, 'env' | 'cwd'>): StkCommandLine;
}

/** The stack's test OpenID Connect provider (service `idp`, reference/idp). */
export interface IdpHandle {
  /** Base URL the runner reaches it at. */
  readonly url: string;
  /**
   * Its issuer as the Hub reaches it: what providers are registered with and
   * what ID tokens carry. Equals `url` except under compose (`http://idp:4100`),
   * where a client on the runner's side maps this origin to `url`.
   */
  readonly issuer: string;
}

/** The stack's S3-compatible object store (service `objectstore`, reference/objectstore). */
export interface ObjectStoreHandle {
  /** Base URL the runner reaches it at. */
  readonly url: string;
  /**
   * Its origin as the Bridge reaches it, which is the origin of every URL the
   * Bridge signs. Equals `url` except under compose (`http://objectstore:4200`),
   * where a client on the runner's side sends to `url` with this `Host`.
   */
  readonly endpoint: string;
}

/** Handles every provider gives the scenarios. */
export interface StackHandles {
  readonly kind: StackKind;
  readonly hubUrl: string;
  readonly bridgeUrl: string;
  /** Admin Postgres URL reachable from the runner (maintenance database). */
  readonly adminDatabaseUrl: string;
  /** URL of database `name` as the runner reaches it. */
  runnerDatabaseUrl(name: string): string;
  /** URL of database `name` as the Hub and Bridge reach it (differs under compose). */
  serviceDatabaseUrl(name: string): string;
  readonly stk: StkHandle;
  /** The test identity provider; absent only when a stack cannot offer one. */
  readonly idp?: IdpHandle;
  /** The object store behind the Bridge's signed URLs; absent when the stack does not run one (external). */
  readonly objectStore?: ObjectStoreHandle;
  /**
   * A writable host folder for project folders a scenario makes on the fly;
   * `stk` sees paths under it (under compose it is mounted into the cli
   * container). Removed at teardown. Fixture folders under
   * `src/scenarios/fixtures` are visible to `stk` as well.
   */
  readonly workDir?: string;
  readonly operator: { readonly email: string; readonly password: string };
  /** Last lines of each service's output, newest last. */
  logTails(lines?: number): readonly LogTail[];
  /**
   * Each service's kept lines that arrived at or after `from` (ms since the
   * epoch), with arrival times: the runner picks a scenario's own lines from
   * them. Absent when the stack keeps no service output (external).
   */
  logLinesSince?(from: number): readonly ServiceLines[];
  /**
   * Stops these services (`hub`, `bridge`, `idp`, `objectstore`) and starts
   * them again from what their sources are now, on the same ports with the
   * same settings and database: a warm stack following source edits. Absent
   * where a stack cannot (compose, external).
   */
  restart?(services: readonly string[]): Promise<void>;
  /**
   * Has database `name`, about to be created by a scenario, dropped when the
   * run ends. Present where PostgreSQL outlives the run (`--db url`, a warm
   * stack, an external stack); elsewhere the server goes with the run.
   */
  adoptDatabase?(name: string): void;
}

/** A line of service output and when the runner received it (ms since the epoch). */
export interface TimedLine {
  readonly at: number;
  readonly text: string;
}

export interface ServiceLines {
  readonly service: string;
  readonly lines: readonly TimedLine[];
}

/** Registered before a resource starts; run in reverse order on every exit path. */
export interface TeardownRegistry {
  defer(name: string, teardown: () => Promise<void>): void;
}

export interface StackStartContext {
  readonly teardowns: TeardownRegistry;
  /** Aborted on SIGINT/SIGTERM or run timeout; waits must race it. */
  readonly signal: AbortSignal;
  /** Service logs go to `<outputDir>/logs/<service>.log`. */
  readonly outputDir: string;
  /** Stream service output live, prefixed `[service]`. */
  readonly onServiceLine?: (service: string, line: string) => void;
  /** Something the user should know that is not a failure (leftovers of a killed run cleaned up). */
  readonly onNotice?: (message: string) => void;
  /**
   * The run's redactor: providers register every secret they make or are
   * given (before a service that knows it starts), and service output passes
   * through it before it is kept, written to a log file or streamed.
   */
  readonly redactor?: Redactor;
}

export interface StackProvider {
  readonly kind: StackKind;
  /** Starts everything, registering each teardown before its start. Throws StackStartError on failure. */
  start(context: StackStartContext): Promise<StackHandles>;
}
