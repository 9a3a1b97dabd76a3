// A Stryker reporter that appends every tested mutant to a journal file
// (one JSON line each) as soon as it is tested, and prints one line per
// mutant with its time. Stryker writes its incremental file only at the end
// of a run; the journal is what lets an interrupted `npm run mutate` resume
// where it stopped (scripts/mutate/resume.js folds it into that file).
import { appendFileSync } from 'node:fs';
import { PluginKind, declareClassPlugin } from '@stryker-mutator/api/plugin';

class JournalReporter {
  #file = process.env.SANTOKIT_IT_MUTATE_JOURNAL;
  #last = performance.now();
  #tested = 0;

  /** After the dry run: the first mutant's time starts here, not at Stryker's start. */
  onMutationTestingPlanReady() {
    this.#last = performance.now();
  }

  onMutantTested(result) {
    const now = performance.now();
    const seconds = (now - this.#last) / 1000;
    this.#last = now;
    if (result.status === 'Ignored' || result.status === 'Pending') return;
    // A result reused from the incremental file arrives with the plan, in no time: it ran before, and is timed there.
    if (seconds < 0.05) return;
    this.#tested += 1;
    const { id, mutatorName, replacement, location, status } = result;
    if (this.#file) {
      appendFileSync(this.#file, `${JSON.stringify({ id, mutatorName, replacement, location, status, seconds })}\n`);
    }
    const where = `${location.start.line}:${location.start.column}`;
    const text = String(replacement ?? '')
      .replace(/\s+/g, ' ')
      .slice(0, 60);
    process.stderr.write(
      `[mutate] #${this.#tested} ${status} ${where} ${mutatorName} → ${text} (${seconds.toFixed(1)} s)\n`,
    );
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'santokit-it-journal', JournalReporter)];
