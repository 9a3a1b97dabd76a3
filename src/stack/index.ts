/**
 * The stack layer's front door: the runner builds a provider from the flags
 * and calls `start(context)`; everything it started is in the context's
 * teardown registry by the time `start` returns or throws.
 */
import { describeSweep, sweepLeftovers } from './leftovers.ts';
import { rememberServer } from './postgres/database-now.ts';
import { validateStackOptions, type StackOptions } from './options.ts';
import { createComposeProvider } from './providers/compose.ts';
import { createEmbeddedProvider } from './providers/embedded.ts';
import { createExternalProvider } from './providers/external.ts';
import { createProcessProvider } from './providers/process.ts';
import type { StackKind } from '../model/stack.ts';
import type { StackProvider } from './types.ts';

export type { CommandLine, ComposeSettings, DbSource, Operator, StackOptions } from './options.ts';
export { DEFAULT_OPERATOR, parseCommandLine, validateStackOptions } from './options.ts';
export { createTeardownStack, type TeardownFailure, type TeardownStack } from './teardown-stack.ts';
export type * from './types.ts';

/** Throws UsageError (exit 2) for options that cannot work together. */
export function createStackProvider(options: StackOptions): StackProvider {
  validateStackOptions(options);
  return sweepingFirst(providerFor(options), options);
}

/** One entry per stack kind (model/stack.ts lists them): the compiler asks for a new kind's provider here. */
const PROVIDERS: { readonly [K in StackKind]: (options: StackOptions) => StackProvider } = {
  embedded: createEmbeddedProvider,
  compose: createComposeProvider,
  process: (options) => createProcessProvider(options),
  external: createExternalProvider,
};

function providerFor(options: StackOptions): StackProvider {
  return PROVIDERS[options.stack](options);
}

/**
 * Before a stack starts, what killed runs left behind goes (see leftovers.ts);
 * with `--db url`, their Hub databases on that same server too.
 */
function sweepingFirst(provider: StackProvider, options: StackOptions): StackProvider {
  return {
    kind: provider.kind,
    start: (context) => {
      if (options.db === 'url' && options.databaseUrl !== undefined) rememberServer(options.databaseUrl);
      const notice = describeSweep(sweepLeftovers());
      if (notice) context.onNotice?.(notice);
      return provider.start(context);
    },
  };
}
