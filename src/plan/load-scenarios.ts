/**
 * The scenario side of the catalog: modules read as text and scanned
 * (`scan-scenarios.ts`); only a module the scan cannot read fully is
 * imported, which scenario modules allow: they have no side effects.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importModule } from './import-module.ts';
import { scanScenarioModule } from './scan-scenarios.ts';
import { isScenario } from '../model/scenario.ts';
import type { ScenarioRef } from './types.ts';

export type ScenarioModule =
  | { readonly status: 'ok'; readonly file: string; readonly scenarios: readonly ScenarioRef[] }
  | { readonly status: 'error'; readonly file: string; readonly line: number; readonly message: string };

export async function loadScenarioModules(root: string, files: readonly string[]): Promise<ScenarioModule[]> {
  return Promise.all(
    files.map(async (file): Promise<ScenarioModule> => {
      const text = readFileSync(join(root, file), 'utf8');
      const scanned = scanScenarioModule(file, text);
      if (scanned.conclusive) return { status: 'ok', file, scenarios: scanned.scenarios };
      const imported = await importModule(root, file);
      if (imported.status === 'error') return imported;
      const lines = new Map(scanned.scenarios.map((scenario) => [scenario.name, scenario.line]));
      const scenarios = imported.exports.filter(isScenario).map((definition) => ({
        file,
        name: definition.name,
        capability: definition.capability,
        line: lines.get(definition.name) ?? lineOfName(text, definition.name),
      }));
      return { status: 'ok', file, scenarios };
    }),
  );
}

function lineOfName(text: string, name: string): number {
  for (const quote of ["'", '"', '`']) {
    const index = text.indexOf(`${quote}${name}${quote}`);
    if (index >= 0) return text.slice(0, index).split('\n').length;
  }
  return 1;
}
