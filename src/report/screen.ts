/** Where terminal output goes and whether it is coloured: decided once, here. */
import pc from 'picocolors';
import { settleWithin } from '../util/async.ts';

export type Colors = ReturnType<typeof pc.createColors>;

export interface Screen {
  readonly colors: Colors;
  readonly color: boolean;
  out(text: string): void;
  err(text: string): void;
}

export interface ScreenOptions {
  /** `--color` / `--no-color`; undefined means decide from the environment. */
  readonly color?: boolean;
  readonly stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr?: NodeJS.WritableStream;
  readonly env?: NodeJS.ProcessEnv;
}

export function colorEnabled(flag: boolean | undefined, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY && env.TERM !== 'dumb';
}

export function createScreen(options: ScreenOptions = {}): Screen {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const color = colorEnabled(options.color, options.env ?? process.env, Boolean((stdout as { isTTY?: boolean }).isTTY));
  return {
    color,
    colors: pc.createColors(color),
    out: (text) => void stdout.write(text),
    err: (text) => void stderr.write(text),
  };
}

/**
 * Resolves once what was written to standard output and error has left the
 * process, or after `withinMs`: a pipe whose reader is slower than a large
 * `--json` report holds the rest in a queue that `process.exit` would drop.
 */
export async function flushTerminal(withinMs = 10_000): Promise<void> {
  // A reader that went away (`| head`) is an EPIPE here: nothing is left to deliver, which is not a failure.
  const flushed = (stream: NodeJS.WriteStream) =>
    new Promise<void>((resolve) => {
      stream.once('error', () => resolve());
      stream.write('', () => resolve());
    });
  await settleWithin(Promise.all([flushed(process.stdout), flushed(process.stderr)]), withinMs);
}
