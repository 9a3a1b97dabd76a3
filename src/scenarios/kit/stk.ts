/** `stk` for scenarios: recorded, never throws on a non-zero exit. */
import type { Transcript } from '../../model/transcript.ts';
import type { StkHandle, StkResult, StkRunOptions } from '../../stack/types.ts';

export type StkRunner = (args: readonly string[], options?: StkRunOptions) => Promise<StkResult>;

export function createStkRunner(
  handle: StkHandle,
  transcript: Transcript,
  defaults: () => Readonly<Record<string, string>>,
): StkRunner {
  return async (args, options = {}) => {
    const result = await handle.run(args, { ...options, env: { ...defaults(), ...options.env } });
    transcript.record({
      kind: 'cli',
      at: Date.now(),
      argv: ['stk', ...args],
      ...(options.cwd ? { cwd: options.cwd } : {}),
      exitCode: result.exitCode,
      stdout: result.stdout,
      stderr: result.stderr,
      durationMs: result.durationMs,
    });
    return result;
  };
}
