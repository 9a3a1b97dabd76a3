// Stryker's settings for `npm run mutate` (scripts/mutate.js), which runs
// Stryker once per reference file and passes what differs per file in the
// environment: the file, the santokit-it command selecting the scenarios
// that claim it (`--covering`), and where its incremental file lives.
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
  // A mutant run that passes every covering scenario takes as long as the dry run; under load it varies a lot.
  timeoutFactor: 2,
  timeoutMS: 60_000,
  dryRunTimeoutMinutes: 15,
  cleanTempDir: true,
  logLevel: 'info',
  fileLogLevel: 'off',
};
