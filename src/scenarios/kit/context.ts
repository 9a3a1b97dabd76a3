/**
 * The context every scenario receives: the started stack, recorded clients
 * for the Hub, the Bridge, `stk` and PostgreSQL, and its fixtures.
 */
import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import type { Transcript } from '../../model/transcript.ts';
import type { IdpHandle, StackHandles } from '../../stack/types.ts';
import { createBridgeClient, type BridgeClient } from './bridge.ts';
import { createAdminDatabase, type AdminDatabase } from './db.ts';
import { createHttpClient, type HttpClient } from './http.ts';
import { createStkRunner, type StkRunner } from './stk.ts';

export interface ScenarioContext {
  readonly stack: StackHandles;
  readonly transcript: Transcript;
  /** Aborted when the scenario times out or the run is interrupted. */
  readonly signal: AbortSignal;
  readonly hub: HttpClient;
  readonly bridge: BridgeClient;
  /** Runs `stk`; carries `STK_AUTH_TOKEN` once `operatorToken()` has logged in. */
  readonly stk: StkRunner;
  readonly db: AdminDatabase;
  /** The stack's test OpenID Connect provider (`stack.idp`); undefined when the stack has none. */
  readonly idp: IdpHandle | undefined;
  /** Absolute path of `src/scenarios/fixtures/<name>`. */
  fixture(name: string): string;
  /** The stack operator's token: one login per stack, shared by the scenarios of a run. */
  operatorToken(): Promise<string>;
  /** A name unique to this scenario run, safe as a project, env or database name. */
  uniqueName(prefix: string): string;
}

export interface ContextOptions {
  /** Repository root holding `src/scenarios/fixtures`. */
  readonly root: string;
}

let counter = 0;
/** One operator login per stack and run: the login's password hash check is the slowest Hub call. */
const operatorLogins = new WeakMap<StackHandles, Promise<string>>();
const RUN = `${process.pid.toString(36)}${Date.now().toString(36).slice(-3)}`;

export function createScenarioContext(
  stack: StackHandles,
  transcript: Transcript,
  signal: AbortSignal,
  options: ContextOptions,
): ScenarioContext {
  // Every request in flight listens for the abort; scenarios send a dozen at once.
  setMaxListeners(200, signal);
  const hub = createHttpClient(stack.hubUrl, transcript, signal);
  let token: string | undefined;
  const context: ScenarioContext = {
    stack,
    transcript,
    signal,
    hub,
    bridge: createBridgeClient(createHttpClient(stack.bridgeUrl, transcript, signal)),
    stk: createStkRunner(stack.stk, transcript, (): Record<string, string> =>
      token === undefined ? {} : { STK_AUTH_TOKEN: token },
    ),
    db: createAdminDatabase(stack, transcript),
    idp: stack.idp,
    fixture: (name) => join(options.root, 'src/scenarios/fixtures', name),
    async operatorToken() {
      if (token !== undefined) return token;
      let login = operatorLogins.get(stack);
      if (login === undefined) {
        login = logInOperator(hub, stack);
        operatorLogins.set(stack, login);
        login.catch(() => operatorLogins.delete(stack));
      }
      token = await login;
      return token;
    },
    uniqueName(prefix) {
      counter += 1;
      return `${prefix}_${RUN}${counter.toString(36)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    },
  };
  return context;
}

async function logInOperator(hub: HttpClient, stack: StackHandles): Promise<string> {
  const response = await hub.post('/api/auth/login', stack.operator);
  const value = (response.json as { token?: unknown } | undefined)?.token;
  if (response.status !== 200 || typeof value !== 'string') {
    throw new Error(
      `operator login as ${stack.operator.email} failed: ${response.status} ${response.text.slice(0, 300)}`,
    );
  }
  return value;
}
