// Package entry (`import { defineScenario } from 'santokit-it'`): the same
// build the CLI runs, so scenario modules and the runner share one copy.
import { buildIsFresh } from './scripts/build-state.js';

const api = buildIsFresh() ? await import('./dist/src/index.js') : await import('./src/index.ts');

export const { defineScenario, isScenario } = api;
