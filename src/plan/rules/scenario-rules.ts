/** Rules seen from the scenario side: modules load, names are unique, every scenario is referenced. */
import { allScenarios, splitTestRef, type Catalog } from '../catalog.ts';
import { issue } from '../parse-capability.ts';
import { scenarioId, type ValidationIssue } from '../types.ts';
import { isPytestFile } from '../pytest/node-id.ts';

export function scenarioModulesLoad(catalog: Catalog): ValidationIssue[] {
  return catalog.modules.flatMap((module) =>
    module.status === 'error' ? [issue('PARSE_ERROR', module.file, module.line, module.message, 'Fix the module so it imports without errors.')] : [],
  );
}

export function scenarioNamesAreUnique(catalog: Catalog): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const module of catalog.modules) {
    if (module.status !== 'ok') continue;
    const seen = new Set<string>();
    for (const scenario of module.scenarios) {
      if (seen.has(scenario.name)) {
        issues.push(issue('SCENARIO_NAME_DUPLICATE', scenario.file, scenario.line, `two scenarios are named '${scenario.name}'`, 'Scenario names must be unique within their file.'));
      }
      seen.add(scenario.name);
    }
  }
  return issues;
}

/** Every capability maps to a scenario, and every scenario maps back to a capability. */
export function scenariosAreReferenced(catalog: Catalog): ValidationIssue[] {
  const referenced = new Set<string>();
  for (const document of catalog.documents) {
    for (const ref of document.testRefs) {
      const split = splitTestRef(ref.value);
      if (split) referenced.add(scenarioId(split));
    }
  }
  // pytest tests have their own rule (pytest/pytest-rules.ts): one without a capability is only a warning.
  return allScenarios(catalog)
    .filter((scenario) => !isPytestFile(scenario.file) && !referenced.has(scenarioId(scenario)))
    .map((scenario) =>
      issue('SCENARIO_ORPHAN', scenario.file, scenario.line, `scenario '${scenario.name}' (${scenario.capability}) is named by no capability's test_refs`, `Add '${scenarioId(scenario)}' to test_refs of ${scenario.capability}, or delete the scenario.`),
    );
}
