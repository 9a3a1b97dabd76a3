import { createRedactor } from '../../redact/redactor.ts';
import { holdUntilAborted } from '../../util/async.ts';
import { multiplexReporters } from '../../report/reporter.ts';
import { createReporters } from '../../report/create-reporters.ts';
import { redactReporter } from '../../report/redact-reporter.ts';
import { formatStackInfoText } from '../../report/stack-info.ts';
import { runScenarios } from '../../runner/run.ts';
import type { StackHandles } from '../../stack/types.ts';
import type { CliIo } from '../io.ts';
import { narrowInputs, stepSummaryReporters } from '../selection-inputs.ts';
import { reusingStackFactory } from '../warm-stack.ts';
import { resolveFrom, toFilters, type FilterFlags } from '../options.ts';
import { stackProviderFactory, type StackFlags } from '../stack-flags.ts';

export interface RunFlags extends FilterFlags, StackFlags {
  readonly root: string;
  readonly jobs: number;
  readonly timeout: number;
  readonly retries: number;
  readonly bail?: boolean;
  readonly strict?: boolean;
  readonly reporter?: string[];
  readonly outputDir: string;
  readonly validate: boolean;
  readonly relaxedStatus?: boolean;
  readonly expectations?: string;
  readonly passWithNoScenarios?: boolean;
  readonly keepStack?: boolean;
  readonly reuseStack?: boolean;
  readonly verbose?: boolean;
  readonly color?: boolean;
}

export async function runCommand(paths: readonly string[], flags: RunFlags, io: CliIo): Promise<number> {
  const screen = io.screen(flags.color);
  const outputDir = resolveFrom(io.cwd, flags.outputDir);
  // One redactor for the run: the stack registers its secrets with it, every reporter and service log passes through it.
  const redactor = createRedactor();
  const reporters = [
    ...createReporters(flags.reporter ?? [], screen, outputDir, { verbose: flags.verbose ?? false, cwd: io.cwd }),
    ...stepSummaryReporters(flags.reporter, io.env),
  ];
  const reporter = redactReporter(multiplexReporters(reporters), redactor);
  const holdStack = flags.keepStack
    ? async (stack: StackHandles) => {
        screen.out(`\n--keep-stack: ${formatStackInfoText(stack)}`);
        await holdUntilAborted(io.signal);
      }
    : undefined;
  const report = await runScenarios({
    root: resolveFrom(io.cwd, flags.root),
    cwd: io.cwd,
    filters: { ...toFilters(flags, paths), ...narrowInputs(flags, resolveFrom(io.cwd, flags.root)) },
    validate: flags.validate,
    relaxedStatus: flags.relaxedStatus ?? false,
    jobs: flags.jobs,
    timeoutMs: flags.timeout,
    retries: flags.retries,
    bail: flags.bail ?? false,
    strict: flags.strict ?? false,
    passWithNoScenarios: flags.passWithNoScenarios ?? false,
    outputDir,
    stackKind: flags.stack,
    createStack: flags.reuseStack
      ? reusingStackFactory(flags, io, resolveFrom(io.cwd, flags.root))
      : stackProviderFactory(flags, io.env),
    ...(holdStack ? { holdStack } : {}),
    verbose: flags.verbose ?? false,
    reporter,
    ...(flags.expectations ? { expectations: resolveFrom(io.cwd, flags.expectations) } : {}),
    redactor,
    signal: io.signal,
  });
  return report.exitCode;
}
