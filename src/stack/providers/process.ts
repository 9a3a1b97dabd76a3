/**
 * `--stack process`: user-given Hub, Bridge and stk executables (e.g. cargo-
 * built upstream binaries) as child processes, with the environment variables
 * upstream's services read, and PostgreSQL embedded, in a container or at a URL.
 */
import { parseCommandLine, type CommandLine, type StackOptions } from '../options.ts';
import type { StackProvider } from '../types.ts';
import { sharedPlan } from './embedded.ts';
import { startProcessStack } from './process-stack.ts';

export function createProcessProvider(options: StackOptions, cwd = process.cwd()): StackProvider {
  const bin = (value: string | undefined, override: CommandLine | undefined, flag: string): CommandLine => {
    if (override) return override;
    if (value === undefined) throw new Error(`${flag} missing after validation`);
    return parseCommandLine(value, cwd);
  };
  const hub = bin(options.hubBin, options.services?.hub, '--hub-bin');
  const bridge = bin(options.bridgeBin, options.services?.bridge, '--bridge-bin');
  const stk = options.stkBin === undefined ? undefined : parseCommandLine(options.stkBin, cwd);
  return {
    kind: 'process',
    start: async (context) =>
      startProcessStack(
        {
          kind: 'process',
          hub,
          bridge,
          cwd,
          ...(await sharedPlan(options, stk)),
        },
        context,
      ),
  };
}
