// A Stryker reporter that appends every tested mutant to a journal file
// (one JSON line each) as soon as it is tested, and prints one line per
// mutant with its time. Stryker writes its incremental file only at the end
// of a run; the journal is what lets an interrupted `npm run mutate` resume
// where it stopped (scripts/mutate/resume.js folds it into that file).
// Each line also names the capabilities that ran for the mutant (from the
// coverage cache); a survivor none of them executed is journaled NoCoverage.
import { appendFileSync } from 'node:fs';
import { PluginKind, declareClassPlugin } from '@stryker-mutator/api/plugin';
import { NOT_EXECUTED, capabilitiesFor, guidedStatus, readCoverageCache } from './coverage-map.js';

const env = process.env;

class JournalReporter {
  #file = env.SANTOKIT_IT_MUTATE_JOURNAL;
  #claiming = (env.SANTOKIT_IT_MUTATE_CAPABILITIES ?? '').split(',').filter(Boolean);
  #cache;
  /** The mutants Stryker runs now; the others are results it reuses from the incremental file. */
  #toRun = new Set();
  #last = performance.now();
  #tested = 0;

  /** After the dry run (the coverage pass): the cache is there, and the first mutant's time starts here. */
  onMutationTestingPlanReady({ mutantPlans }) {
    for (const { plan, mutant } of mutantPlans) if (plan === 'Run') this.#toRun.add(mutant.id);
    this.#cache = readCoverageCache(env.SANTOKIT_IT_MUTATE_COVERAGE ?? '', env.SANTOKIT_IT_MUTATE_COVERAGE_KEY);
    // The pass ran inside Stryker's test runner, whose output shows only on failure: what it found.
    const reached = Object.entries(this.#cache?.capabilities ?? {}).map(
      ([capability, run]) => `${capability} ${run.executed} (${run.seconds} s)`,
    );
    const executed = Object.keys(this.#cache?.mutants ?? {}).length;
    process.stderr.write(
      this.#cache
        ? `[mutate] coverage pass (${this.#cache.seconds} s): ${executed} of ${mutantPlans.length} mutants executed; per capability ${reached.join(', ')}\n`
        : '[mutate] no coverage pass for this code: every mutant runs every claiming capability\n',
    );
    this.#last = performance.now();
  }

  onMutantTested(result) {
    const now = performance.now();
    const seconds = Math.round((now - this.#last) / 100) / 10;
    this.#last = now;
    if (!this.#toRun.has(result.id)) return;
    this.#tested += 1;
    const { id, mutatorName, replacement, location } = result;
    const capabilities = capabilitiesFor(this.#cache, id, this.#claiming);
    const status = guidedStatus(result.status, capabilities);
    if (this.#file) {
      const line = { id, mutatorName, replacement, location, status, capabilities, seconds };
      appendFileSync(this.#file, `${JSON.stringify(line)}\n`);
    }
    const where = `${location.start.line}:${location.start.column}`;
    const text = String(replacement ?? '')
      .replace(/\s+/g, ' ')
      .slice(0, 60);
    const ran = capabilities.length > 0 ? `[${capabilities.join(', ')}]` : NOT_EXECUTED;
    process.stderr.write(
      `[mutate] #${this.#tested} ${status} ${where} ${mutatorName} → ${text} ${ran} (${seconds.toFixed(1)} s)\n`,
    );
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'santokit-it-journal', JournalReporter)];
