/**
 * The stack layer's front door: the runner builds a provider from the flags
 * and calls `start(context)`; everything it started is in the context's
 * teardown registry by the time `start` returns or throws.
 */
import { describeSweep, sweepLeftovers } from './leftovers.ts';
import { validateStackOptions, type StackOptions } from './options.ts';
import { createComposeProvider } from './providers/compose.ts';
import { createEmbeddedProvider } from './providers/embedded.ts';
import { createExternalProvider } from './providers/external.ts';
import { createProcessProvider } from './providers/process.ts';
import type { StackProvider } from './types.ts';

export type { CommandLine, ComposeSettings, DbSource, Operator, StackOptions } from './options.ts';
export { DEFAULT_OPERATOR, parseCommandLine, validateStackOptions } from './options.ts';
export { createTeardownStack, type TeardownFailure, type TeardownStack } from './teardown-stack.ts';
export type * from './types.ts';

/** Throws UsageError (exit 2) for options that cannot work together. */
export function createStackProvider(options: StackOptions): StackProvider {
  validateStackOptions(options);
  return sweepingFirst(providerFor(options));
}

function providerFor(options: StackOptions): StackProvider {
  switch (options.stack) {
    case 'embedded':
      return createEmbeddedProvider(options);
    case 'compose':
      return createComposeProvider(options);
    case 'process':
      return createProcessProvider(options);
    case 'external':
      return createExternalProvider(options);
  }
}

/** Before a stack starts, what killed runs left behind goes (see leftovers.ts). */
function sweepingFirst(provider: StackProvider): StackProvider {
  return {
    kind: provider.kind,
    start: (context) => {
      const notice = describeSweep(sweepLeftovers());
      if (notice) context.onNotice?.(notice);
      return provider.start(context);
    },
  };
}
