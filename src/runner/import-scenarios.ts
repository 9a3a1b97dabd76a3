/** Before a run: import the selected scenarios' modules and pair each scenario with its definition. */
import { UsageError } from '../errors.ts';
import { importModule } from '../plan/import-module.ts';
import type { SelectedScenario } from '../plan/select.ts';
import { isPytestFile } from '../plan/pytest/node-id.ts';
import { isScenario, type Scenario } from '../scenarios/kit/scenario.ts';

export interface RunnableScenario extends SelectedScenario {
  readonly definition: Scenario;
}

/** A selected pytest test: run by a pytest process, nothing to import. */
export interface RunnablePytest extends SelectedScenario {
  readonly kind: 'pytest';
}

export type RunnableTest = RunnableScenario | RunnablePytest;

export function isPytestTest(test: RunnableTest): test is RunnablePytest {
  return 'kind' in test && test.kind === 'pytest';
}

export async function importSelected(root: string, selected: readonly SelectedScenario[]): Promise<RunnableTest[]> {
  const pytest = new Set(selected.filter((test) => isPytestFile(test.file)));
  const scenarios = selected.filter((test) => !pytest.has(test));
  const files = [...new Set(scenarios.map((scenario) => scenario.file))];
  const definitions = new Map<string, Scenario>();
  for (const imported of await Promise.all(files.map((file) => importModule(root, file)))) {
    if (imported.status === 'error') {
      throw new UsageError(
        `${imported.file}:${imported.line}: ${imported.message}`,
        'Fix the module so it imports without errors.',
      );
    }
    for (const definition of imported.exports.filter(isScenario))
      definitions.set(`${imported.file}::${definition.name}`, definition);
  }
  return selected.map((scenario): RunnableTest => {
    if (pytest.has(scenario)) return { ...scenario, kind: 'pytest' };
    const definition = definitions.get(scenario.id);
    if (definition === undefined) {
      throw new UsageError(
        `${scenario.file}:${scenario.line}: scenario '${scenario.name}' is not exported by its module`,
        'Export every defineScenario(...) value from the module.',
      );
    }
    return { ...scenario, definition };
  });
}
