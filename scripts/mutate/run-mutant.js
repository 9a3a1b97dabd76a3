#!/usr/bin/env node
// The command Stryker runs in its sandbox for `npm run mutate` (commandRunner).
//
// Dry run (no __STRYKER_ACTIVE_MUTANT__): the coverage pass. Each capability
// that claims the file runs alone, no mutant active, with every Node process
// of its stack recording the mutants it executes (coverage-preload.js); the
// map mutant → capabilities is cached. With the cache already computed for
// this source and these scenarios, the dry run has nothing to do.
//
// Mutant run: only the capabilities that executed the active mutant run
// (`santokit-it --capability A,B --bail`). A mutant none executed is not run
// at all: exit 0 (Stryker records it as surviving; the journal reporter
// records it as not executed by any claiming capability).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  COVERAGE_OUT_ENV,
  NOT_EXECUTED,
  capabilitiesFor,
  coverageCache,
  readCoverageCache,
  readCoverageDir,
} from './coverage-map.js';

const env = process.env;
const cacheFile = env.SANTOKIT_IT_MUTATE_COVERAGE;
const key = env.SANTOKIT_IT_MUTATE_COVERAGE_KEY;
const claiming = (env.SANTOKIT_IT_MUTATE_CAPABILITIES ?? '').split(',').filter(Boolean);
if (!cacheFile || !key || claiming.length === 0) {
  process.stderr.write('run-mutant.js is run by Stryker under `npm run mutate`; run that instead\n');
  process.exit(2);
}
// DATABASE_URL comes from the environment, so no password is on a command line Stryker logs.
const RUN = ['bin/santokit-it.js', '--bail', '--jobs', '2', '--timeout', '120s', '--reporter', 'dot', '--no-validate'];

function santokitIt(capabilities, extraEnv = {}) {
  const args = [...RUN, '--capability', capabilities.join(','), '--db', 'url'];
  const result = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...env, ...extraEnv } });
  return result.status ?? 1;
}

/** One capability alone, with the preload recording what each of its processes executed. */
function coverageRun(capability, dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const preload = pathToFileURL(join(import.meta.dirname, 'coverage-preload.js')).href;
  const nodeOptions = [env.NODE_OPTIONS, `--import=${preload}`].filter(Boolean).join(' ');
  const begin = performance.now();
  const code = santokitIt([capability], { NODE_OPTIONS: nodeOptions, [COVERAGE_OUT_ENV]: dir });
  const seconds = Math.round((performance.now() - begin) / 100) / 10;
  return { code, seconds, ...readCoverageDir(dir) };
}

function coveragePass() {
  if (readCoverageCache(cacheFile, key)) {
    process.stderr.write(`[mutate] coverage: cached in ${cacheFile}\n`);
    return 0;
  }
  const runsDir = `${cacheFile}.runs`;
  const runs = {};
  try {
    for (const capability of claiming) {
      const run = coverageRun(capability, join(runsDir, capability));
      if (run.code !== 0) return run.code;
      // Not even santokit-it's own process wrote: NODE_OPTIONS did not reach it, and nothing is known.
      if (run.processes === 0) {
        process.stderr.write(
          `[mutate] coverage: ${capability}: no process wrote its coverage (the preload did not load)\n`,
        );
        return 1;
      }
      const { processes, ids, seconds } = run;
      process.stderr.write(
        `[mutate] coverage: ${capability} executed ${ids.length} mutants (${processes} processes, ${seconds} s)\n`,
      );
      runs[capability] = { seconds, processes, ids };
    }
  } finally {
    rmSync(runsDir, { recursive: true, force: true });
  }
  writeFileSync(
    cacheFile,
    `${JSON.stringify(coverageCache({ key, idsKey: env.SANTOKIT_IT_MUTATE_IDS_KEY, file: env.SANTOKIT_IT_MUTATE_FILE, runs }), null, 2)}\n`,
  );
  return 0;
}

function mutantRun(id) {
  const cache = readCoverageCache(cacheFile, key);
  if (!cache) process.stderr.write('[mutate] no coverage for this source: every claiming capability runs\n');
  const capabilities = capabilitiesFor(cache, id, claiming);
  if (capabilities.length === 0) {
    process.stderr.write(`[mutate] mutant ${id}: ${NOT_EXECUTED}\n`);
    return 0;
  }
  return santokitIt(capabilities);
}

const active = env.__STRYKER_ACTIVE_MUTANT__;
process.exitCode = active === undefined ? coveragePass() : mutantRun(active);
