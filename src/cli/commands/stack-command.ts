import { ExitCode, InterruptedError, SantokitItError } from '../../errors.ts';
import { createRedactor } from '../../redact/redactor.ts';
import { formatStackInfoJson, formatStackInfoText } from '../../report/stack-info.ts';
import { runTasks, type Task } from '../../runner/tasks.ts';
import type { StackHandles } from '../../stack/types.ts';
import type { CliIo } from '../io.ts';
import { resolveFrom } from '../options.ts';
import { stackProviderFactory, type StackFlags } from '../stack-flags.ts';

export interface StackUpFlags extends StackFlags {
  readonly format: 'text' | 'json';
  readonly outputDir: string;
  readonly color?: boolean;
}

/**
 * Starts a stack and keeps it until SIGINT/SIGTERM, then tears it down as a
 * run does. An orderly stop on a signal exits 0: that is how it is meant to end.
 */
export async function stackUpCommand(flags: StackUpFlags, io: CliIo): Promise<number> {
  const screen = io.screen(flags.color);
  const state: { stack?: StackHandles } = {};
  const tasks: Task<typeof state>[] = [
    {
      name: 'start stack',
      run: async (current, context) => {
        current.stack = await (await stackProviderFactory(flags, io.env)()).start({
          teardowns: context,
          signal: context.signal,
          outputDir: resolveFrom(io.cwd, flags.outputDir),
          ...(flags.verbose ? { onServiceLine: (service, line) => screen.err(`[${service}] ${line}\n`) } : {}),
          onNotice: (message) => screen.err(`${message}\n`),
          // The log files stay free of the stack's secrets; the info printed below is what the user asked for.
          redactor: createRedactor(),
        });
        screen.out(flags.format === 'json' ? formatStackInfoJson(current.stack) : formatStackInfoText(current.stack));
      },
    },
    { name: 'hold stack', run: () => new Promise<void>(() => undefined) },
  ];
  const result = await runTasks(tasks, state, io.signal);
  for (const failure of result.teardownFailures) screen.err(`teardown '${failure.name}' failed: ${failure.message}\n`);
  const error = result.failed?.error;
  if (error instanceof InterruptedError) return state.stack ? ExitCode.passed : ExitCode.interrupted;
  if (error !== undefined) throw error instanceof SantokitItError ? error : new Error(String(error));
  return ExitCode.passed;
}
