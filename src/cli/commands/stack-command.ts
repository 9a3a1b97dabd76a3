import { ExitCode, InterruptedError, SantokitItError } from '../../errors.ts';
import { holdUntilAborted } from '../../util/async.ts';
import { createRedactor } from '../../redact/redactor.ts';
import { formatStackInfoJson, formatStackInfoText } from '../../report/stack-info.ts';
import { runTasks, type Task } from '../../runner/tasks.ts';
import type { StackHandles } from '../../stack/types.ts';
import type { CliIo } from '../io.ts';
import { resolveFrom } from '../options.ts';
import { stackProviderFactory, type StackFlags } from '../stack-flags.ts';
import { detachStack, ownerFlags, recordWarmStack, rememberingSecrets } from '../warm-stack.ts';
import { warmStackHandles } from '../../stack/warm-stack.ts';

export interface StackUpFlags extends StackFlags {
  readonly format: 'text' | 'json';
  readonly outputDir: string;
  readonly color?: boolean;
  readonly root: string;
  /** Start the stack in a background owner process and return once it is ready (`stack down` stops it). */
  readonly detach?: boolean;
  /** Internal: this process is that owner. */
  readonly warmOwner?: boolean;
}

/**
 * Starts a stack and keeps it until SIGINT/SIGTERM, then tears it down as a
 * run does. An orderly stop on a signal exits 0: that is how it is meant to end.
 */
export async function stackUpCommand(given: StackUpFlags, io: CliIo): Promise<number> {
  const flags = given.warmOwner ? ownerFlags(given, io.env) : given;
  const screen = io.screen(flags.color);
  const format = (stack: StackHandles) =>
    flags.format === 'json' ? formatStackInfoJson(stack) : formatStackInfoText(stack);
  if (flags.detach)
    return detachStack(flags, io, (record) =>
      screen.out(
        format(warmStackHandles(record)).replace(
          /Press Ctrl-C to tear it down\.\n$/,
          'It runs in the background: santokit-it stack down stops it.\n',
        ),
      ),
    );
  // The owner of a warm stack keeps the secrets the stack registers, for the runs that reuse it.
  const kept = rememberingSecrets(createRedactor());
  const state: { stack?: StackHandles } = {};
  const tasks: Task<typeof state>[] = [
    {
      name: 'start stack',
      run: async (current, context) => {
        current.stack = await (
          await stackProviderFactory(flags, io.env)()
        ).start({
          teardowns: context,
          signal: context.signal,
          outputDir: resolveFrom(io.cwd, flags.outputDir),
          ...(flags.verbose ? { onServiceLine: (service, line) => screen.err(`[${service}] ${line}\n`) } : {}),
          onNotice: (message) => screen.err(`${message}\n`),
          // The log files stay free of the stack's secrets; the info printed below is what the user asked for.
          redactor: kept.redactor,
        });
        // A warm stack's owner writes to its log file: the info, with the database password, is printed
        // by the `stack up --detach` that started it, to the user's terminal.
        if (flags.warmOwner)
          await recordWarmStack(resolveFrom(io.cwd, flags.root), current.stack, flags, io, context, kept.secrets);
        else screen.out(format(current.stack));
      },
    },
    { name: 'hold stack', run: (_current, context) => holdUntilAborted(context.signal) },
  ];
  const result = await runTasks(tasks, state, io.signal);
  for (const failure of result.teardownFailures) screen.err(`teardown '${failure.name}' failed: ${failure.message}\n`);
  const error = result.failed?.error;
  if (error instanceof InterruptedError) return state.stack ? ExitCode.passed : ExitCode.interrupted;
  if (error !== undefined) throw error instanceof SantokitItError ? error : new Error(String(error));
  return ExitCode.passed;
}
