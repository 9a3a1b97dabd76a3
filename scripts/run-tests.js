#!/usr/bin/env node
// Finds every *.test.ts (Node 20's test runner has no globs) and runs them
// with the TypeScript loader. Extra arguments narrow the set: paths or folders.
import { spawnSync } from 'node:child_process';
import fg from 'fast-glob';

const roots = process.argv.slice(2);
const patterns =
  roots.length > 0
    ? roots.map((root) => (root.endsWith('.ts') ? root : `${root.replace(/\/$/, '')}/**/*.test.ts`))
    : ['src/**/*.test.ts', 'reference/**/*.test.ts', 'test/**/*.test.ts'];
const files = (await fg(patterns, { ignore: ['**/node_modules/**', '**/fixtures/**'] })).sort();
if (files.length === 0) {
  console.error(`no test files match ${patterns.join(' ')}`);
  process.exitCode = 1;
} else {
  const concurrency = process.env.TEST_CONCURRENCY ?? '3';
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
    { stdio: 'inherit' },
  );
  process.exitCode = result.status ?? 1;
}
