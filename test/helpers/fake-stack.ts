/** A stack provider that starts nothing: the runner's own tests need handles, not services. */
import type { StackHandles, StackProvider, StackStartContext } from '../../src/stack/types.ts';

export interface FakeStackOptions {
  /** Thrown from start(), after the teardown is registered. */
  readonly failWith?: Error;
  readonly log?: string[];
}

export function fakeHandles(): StackHandles {
  return {
    kind: 'external',
    hubUrl: 'http://127.0.0.1:9/hub',
    bridgeUrl: 'http://127.0.0.1:9/bridge',
    adminDatabaseUrl: 'postgres://nobody@127.0.0.1:9/postgres',
    runnerDatabaseUrl: (name) => `postgres://nobody@127.0.0.1:9/${name}`,
    serviceDatabaseUrl: (name) => `postgres://nobody@db:5432/${name}`,
    stk: {
      argv: ['stk'],
      run: async (args) => ({ argv: ['stk', ...args], exitCode: 0, stdout: '', stderr: '', durationMs: 0 }),
      command: (args, options) => ({ file: 'stk', args, extendEnv: true, ...options }),
    },
    operator: { email: 'owner@example.com', password: 'password' },
    logTails: () => [{ service: 'hub', lines: ['hub listening on 9', 'GET /healthz 200'] }],
  };
}

export function fakeStackProvider(options: FakeStackOptions = {}): StackProvider {
  return {
    kind: 'external',
    start: async (context: StackStartContext) => {
      context.teardowns.defer('fake stack', async () => void options.log?.push('stack stopped'));
      options.log?.push('stack started');
      if (options.failWith) throw options.failWith;
      return fakeHandles();
    },
  };
}
