#!/usr/bin/env node
// Runs the compiled CLI when dist/ is fresh, else the TypeScript sources via tsx.
import { buildIsFresh } from '../scripts/build-state.js';

if (buildIsFresh()) {
  const { main } = await import('../dist/src/cli/main.js');
  await main();
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  await main();
}
