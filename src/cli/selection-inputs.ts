/** What a run takes from outside its flags: git, the last run's failures, recorded durations, the CI's summary file. */
import { UsageError } from '../errors.ts';
import { readChangedFiles } from '../plan/git-changes.ts';
import type { NarrowInputs } from '../plan/narrow.ts';
import { readLastFailed } from '../runner/last-failed.ts';
import { readTimings } from '../runner/timings.ts';
import type { Reporter } from '../report/reporter.ts';
import { createStepSummaryReporter } from '../report/step-summary.ts';
import type { FilterFlags } from './options.ts';

export function narrowInputs(flags: FilterFlags, root: string): NarrowInputs {
  const inputs: { -readonly [K in keyof NarrowInputs]: NarrowInputs[K] } = {};
  if (flags.changed !== undefined && flags.changed !== false)
    inputs.changed = readChangedFiles(root, flags.changed === true ? undefined : flags.changed);
  if (flags.lastFailed) {
    const lastFailed = readLastFailed(root);
    if (lastFailed === undefined)
      throw new UsageError(
        '--last-failed: no run has been recorded here yet (.santokit-it/last-failed.json)',
        'Run once without --last-failed; every run records its failed and flaky scenarios.',
      );
    inputs.lastFailed = lastFailed;
  }
  if (flags.shard !== undefined) inputs.timings = readTimings(root);
  return inputs;
}

/** Under GitHub Actions (`$GITHUB_STEP_SUMMARY`), the github reporter also writes the job summary. */
export function stepSummaryReporters(reporters: readonly string[] | undefined, env: NodeJS.ProcessEnv): Reporter[] {
  const file = env.GITHUB_STEP_SUMMARY;
  const github = (reporters ?? []).some((names) => names.split(',').some((name) => name.trim() === 'github'));
  return file && github ? [createStepSummaryReporter(file)] : [];
}
