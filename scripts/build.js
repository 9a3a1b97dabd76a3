#!/usr/bin/env node
// Compiles src/ and reference/ to dist/ and stamps the build with the
// sources' fingerprint. A build with type errors is not stamped: the entry
// points then run the sources through tsx, and `npm test` reports the errors.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PACKAGE_ROOT, STAMP, sourceFingerprint } from './build-state.js';
import { bundleStk } from './bundle-stk.js';

const fingerprint = await sourceFingerprint();
rmSync(join(PACKAGE_ROOT, STAMP), { force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: PACKAGE_ROOT, stdio: 'inherit' });
if (result.status === 0) {
  mkdirSync(join(PACKAGE_ROOT, 'dist'), { recursive: true });
  const unbundled = await bundleStk(PACKAGE_ROOT);
  if (unbundled) console.error(`build: stk not bundled, the stack runs dist/reference/stk/main.js: ${unbundled}`);
  writeFileSync(join(PACKAGE_ROOT, STAMP), `${JSON.stringify(fingerprint)}\n`);
} else {
  console.error('build: type errors above; santokit-it will run from the TypeScript sources until they are fixed.');
}
