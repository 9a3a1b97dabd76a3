#!/usr/bin/env node
// Runs the compiled stk when dist/ is fresh, else the TypeScript sources via tsx.
import { buildIsFresh } from '../../../scripts/build-state.js';

if (buildIsFresh(undefined, 'stk')) {
  await import('../../../dist/reference/stk/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../main.ts');
}
