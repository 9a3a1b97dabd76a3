// Loaded into every Node process of a mutate coverage pass through
// NODE_OPTIONS=--import (santokit-it, the Hub, the Bridge, each stk, …).
// At exit it writes the mutants this process executed, as Stryker's
// instrumented code counted them in globalThis.__stryker__.mutantCoverage,
// to <dir>/<pid>.json, dir from SANTOKIT_IT_MUTATE_COVERAGE_OUT. A process
// that never loaded the mutated file writes `null`, so the pass can tell
// that the preload ran at all. 'exit' fires on process.exit() and on a
// natural end; the services exit through their SIGTERM handlers.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.SANTOKIT_IT_MUTATE_COVERAGE_OUT;
if (dir) {
  process.on('exit', () => {
    const coverage = globalThis.__stryker__?.mutantCoverage ?? null;
    const entry = process.argv[1] ?? '';
    try {
      writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify({ entry, coverage }));
    } catch {
      // The pass's directory is gone (the pass was interrupted): nothing to keep.
    }
  });
}
