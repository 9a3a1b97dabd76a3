/**
 * Imports scenario modules (they have no side effects by contract) and
 * indexes their scenarios by file and name.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isScenario, type Scenario } from '../scenarios/kit/scenario.ts';
import type { ScenarioRef } from './types.ts';

export interface LoadedScenario extends ScenarioRef {
  readonly definition: Scenario;
}

export type ScenarioModule =
  | { readonly status: 'ok'; readonly file: string; readonly scenarios: readonly LoadedScenario[] }
  | { readonly status: 'error'; readonly file: string; readonly line: number; readonly message: string };

export async function loadScenarioModules(root: string, files: readonly string[]): Promise<ScenarioModule[]> {
  return Promise.all(files.map((file) => loadScenarioModule(root, file)));
}

async function loadScenarioModule(root: string, file: string): Promise<ScenarioModule> {
  const path = join(root, file);
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    return { status: 'error', file, line: errorLine(error, path), message: `cannot load scenario module: ${firstLine(error)}` };
  }
  const text = await readFile(path, 'utf8');
  const definitions = Object.values(exports).flatMap((value) => (Array.isArray(value) ? value : [value])).filter(isScenario);
  const unique = [...new Set(definitions)];
  return {
    status: 'ok',
    file,
    scenarios: unique.map((definition) => ({
      file,
      name: definition.name,
      capability: definition.capability,
      line: lineOf(text, definition.name),
      definition,
    })),
  };
}

/** Line of the first quoted occurrence of the scenario name; 1 if it was computed. */
function lineOf(text: string, name: string): number {
  for (const quote of ["'", '"', '`']) {
    const index = text.indexOf(`${quote}${name}${quote}`);
    if (index >= 0) return text.slice(0, index).split('\n').length;
  }
  return 1;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

function errorLine(error: unknown, path: string): number {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}:(\\d+)`).exec(stack);
  return match?.[1] ? Number(match[1]) : 1;
}
