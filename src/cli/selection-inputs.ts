/** The selection inputs that come from outside the flags: git, the last run's failures, recorded durations. */
import { UsageError } from '../errors.ts';
import { readChangedFiles } from '../plan/git-changes.ts';
import type { NarrowInputs } from '../plan/narrow.ts';
import { readLastFailed } from '../runner/last-failed.ts';
import { readTimings } from '../runner/timings.ts';
import type { FilterFlags } from './options.ts';

export function narrowInputs(flags: FilterFlags, root: string): NarrowInputs {
  const inputs: { -readonly [K in keyof NarrowInputs]: NarrowInputs[K] } = {};
  if (flags.changed !== undefined && flags.changed !== false) inputs.changed = readChangedFiles(root, flags.changed === true ? undefined : flags.changed);
  if (flags.lastFailed) {
    const lastFailed = readLastFailed(root);
    if (lastFailed === undefined) throw new UsageError('--last-failed: no run has been recorded here yet (.santokit-it/last-failed.json)', 'Run once without --last-failed; every run records its failed and flaky scenarios.');
    inputs.lastFailed = lastFailed;
  }
  if (flags.shard !== undefined) inputs.timings = readTimings(root);
  return inputs;
}
