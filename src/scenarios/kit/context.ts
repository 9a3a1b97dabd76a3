/**
 * The context every scenario receives: the started stack's handles, the
 * transcript its clients record into, and an abort signal for timeouts.
 */
import type { Transcript } from '../../runner/transcript.ts';
import type { StackHandles } from '../../stack/types.ts';

export interface ScenarioContext {
  readonly stack: StackHandles;
  readonly transcript: Transcript;
  /** Aborted when the scenario times out or the run is interrupted. */
  readonly signal: AbortSignal;
  /** A name unique to this scenario run, safe as a project, env or database name. */
  uniqueName(prefix: string): string;
}

let counter = 0;

export function createScenarioContext(stack: StackHandles, transcript: Transcript, signal: AbortSignal): ScenarioContext {
  const run = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  return {
    stack,
    transcript,
    signal,
    uniqueName(prefix) {
      counter += 1;
      return `${prefix}_${run}_${counter}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    },
  };
}
