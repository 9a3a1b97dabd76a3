/**
 * The process edge: signals, the commander program, error printing, and the
 * one `process.exit` of santokit-it.
 */
import { CommanderError } from 'commander';
import { ExitCode, InterruptedError, SantokitItError } from '../errors.ts';
import { formatToolError } from '../report/print-error.ts';
import { createScreen, flushTerminal } from '../report/screen.ts';
import { killAllNow } from '../stack/resources.ts';
import type { CliIo } from './io.ts';
import { createProgram } from './program.ts';

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<never> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      // Second signal: no orderly teardown, kill what we started and leave.
      killAllNow();
      exit(ExitCode.interrupted);
    }
    controller.abort(new InterruptedError(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const io: CliIo = {
    cwd: process.cwd(),
    env: process.env,
    signal: controller.signal,
    screen: (color) => createScreen(color === undefined ? {} : { color }),
  };
  const code = await runProgram(argv, io);
  await flushTerminal();
  exit(code);
}

/** Parses and runs one command; never throws, always an exit code. */
export async function runProgram(argv: readonly string[], io: CliIo): Promise<number> {
  let code: number = ExitCode.passed;
  const screen = io.screen(argv.includes('--no-color') ? false : argv.includes('--color') ? true : undefined);
  const program = createProgram(
    io,
    (value) => {
      code = value;
    },
    screen,
  );
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version arrive here as "errors" with exit code 0.
      return error.exitCode === 0 ? ExitCode.passed : ExitCode.invalidInput;
    }
    screen.err(formatToolError(error, screen));
    return error instanceof SantokitItError ? error.exitCode : ExitCode.failed;
  }
}

function exit(code: number): never {
  process.exit(code);
}
