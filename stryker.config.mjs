// Stryker's settings for `npm run mutate` (scripts/mutate.js), which runs
// Stryker once per reference file and passes what differs per file in the
// environment: the file, the command Stryker runs (scripts/mutate/run-mutant.js,
// which runs the capabilities that claim the file and executed the mutant),
// where its incremental file lives, and the timeout.
// Run Stryker through `npm run mutate`, not on its own.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = process.env;
if (!env.SANTOKIT_IT_MUTATE_FILE) throw new Error('stryker.config.mjs is read by `npm run mutate`; run that instead');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: [env.SANTOKIT_IT_MUTATE_FILE],
  testRunner: 'command',
  commandRunner: { command: env.SANTOKIT_IT_MUTATE_COMMAND },
  // The sandbox (a copy of the checkout) lives outside it, so no tool of the repository walks into it.
  tempDirName: join(tmpdir(), 'santokit-it-mutate'),
  // Compiles the sandbox's sources, mutants switched in, to its dist/: the services then start from JavaScript.
  // Stryker links node_modules in only after its build command, which needs TypeScript: link it first.
  buildCommand: 'node scripts/mutate/sandbox-build.js',
  symlinkNodeModules: false,
  // What no scenario run needs: the build output (rebuilt above), run records (so scenarios run in file
  // order, the quick ones of a capability before its slow ones), the tool's own tests and benchmarks.
  ignorePatterns: ['/dist', '/.santokit-it', '/scratch', '/test', '/bench', '/docs', '/.ci', '/.github', '/docker'],
  concurrency: 1,
  incremental: true,
  incrementalFile: env.SANTOKIT_IT_MUTATE_INCREMENTAL,
  reporters: ['santokit-it-journal', 'clear-text'],
  appendPlugins: ['./scripts/mutate/journal-reporter.js'],
  clearTextReporter: { allowColor: false, reportTests: false, reportMutants: false, reportScoreTable: true },
  // The dry run is the coverage pass (each claiming capability alone), longer than any mutant's run;
  // under load runs vary a lot. With the coverage cached the dry run is instant, and
  // `npm run mutate` passes a timeout that allows for the pass's recorded time instead.
  timeoutFactor: 2,
  timeoutMS: Number(env.SANTOKIT_IT_MUTATE_TIMEOUT_MS ?? 60_000),
  dryRunTimeoutMinutes: 30,
  cleanTempDir: true,
  logLevel: 'info',
  fileLogLevel: 'off',
};
