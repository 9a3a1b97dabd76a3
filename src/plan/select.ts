/** Scenario selection: catalog filters, positional paths, grep and deterministic sharding. */
import { relative, resolve, sep } from 'node:path';
import { existsSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import { allScenarios, documentsById, splitTestRef, type Catalog } from './catalog.ts';
import { didYouMean } from '../util/suggest.ts';
import { DOMAINS, STATUSES, scenarioId, type CapabilityDocument, type ScenarioRef } from './types.ts';
import { narrowSelection, type Narrowed, type NarrowInputs } from './narrow.ts';
import { coveringOf, repoRelative, type Covering } from './covering.ts';

export interface SelectionFilters extends NarrowInputs {
  readonly fromPlan?: boolean;
  readonly domains?: readonly string[];
  readonly capabilities?: readonly string[];
  readonly statuses?: readonly string[];
  readonly grep?: string;
  readonly withDeps?: boolean;
  /** Files or folders: the capabilities whose code_refs name them (`--covering`). */
  readonly covering?: readonly string[];
  /** `i/n`, 1-based. */
  readonly shard?: string;
  /** Scenario files or folders, relative to the working directory or the root. */
  readonly paths?: readonly string[];
}

export interface SelectedScenario {
  readonly id: string;
  readonly file: string;
  readonly name: string;
  /** Line of the scenario's name in its file. */
  readonly line: number;
  readonly capability: string;
  /** Undefined when the declared capability is not in the catalog. */
  readonly document: CapabilityDocument | undefined;
}

export interface Selection extends Partial<Pick<Narrowed, 'impact' | 'shard' | 'notes' | 'emptyIsAnswer'>> {
  readonly capabilities: readonly CapabilityDocument[];
  readonly scenarios: readonly SelectedScenario[];
  /** What `--covering` chose, and why. */
  readonly covering?: Covering;
}

export function selectScenarios(catalog: Catalog, filters: SelectionFilters, cwd = process.cwd()): Selection {
  const byId = documentsById(catalog);
  const capabilityIds = (filters.capabilities ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
  checkNames('domain', filters.domains ?? [], DOMAINS);
  checkNames('capability', capabilityIds, [...byId.keys()].sort());
  checkNames('status', filters.statuses ?? [], STATUSES);
  const covering = filters.covering?.length
    ? coveringOf(catalog.documents, filters.covering.map((file) => repoRelative(catalog.root, cwd, file)))
    : undefined;
  const filtered = Boolean(filters.domains?.length || capabilityIds.length || filters.statuses?.length || filters.withDeps || covering);
  const capabilities = selectCapabilities(catalog, filters, capabilityIds, covering);
  let scenarios = filters.fromPlan || filtered ? scenariosOf(catalog, capabilities) : allScenarios(catalog);
  scenarios = filterByPaths(catalog.root, cwd, scenarios, filters.paths ?? []);
  if (filters.grep !== undefined) scenarios = scenarios.filter((scenario) => compileGrep(filters.grep ?? '').test(scenario.name));
  const { scenarios: narrowed, ...narrowing } = narrowSelection(catalog, scenarios, filters);
  scenarios = narrowed;
  const impact = narrowing.impact;
  return {
    ...narrowing,
    ...(covering ? { covering } : {}),
    capabilities: impact && !impact.everything ? capabilities.filter((document) => impact.capabilities.has(document.id?.value ?? '')) : capabilities,
    scenarios: scenarios.map((scenario) => ({
      id: scenarioId(scenario),
      file: scenario.file,
      name: scenario.name,
      line: scenario.line,
      capability: scenario.capability,
      document: byId.get(scenario.capability),
    })),
  };
}

function checkNames(kind: string, given: readonly string[], valid: readonly string[]): void {
  for (const name of given) {
    if (!valid.includes(name)) {
      throw new UsageError(`unknown ${kind} '${name}'`, didYouMean(name, valid) || `Valid: ${valid.slice(0, 12).join(', ')}${valid.length > 12 ? ', …' : ''}`);
    }
  }
}

function selectCapabilities(catalog: Catalog, filters: SelectionFilters, ids: readonly string[], covering: Covering | undefined): CapabilityDocument[] {
  const byId = documentsById(catalog);
  const matches = (document: CapabilityDocument): boolean =>
    (!covering || covering.capabilities.has(document.id?.value ?? '')) &&
    (!filters.domains?.length || filters.domains.includes(document.domain?.value ?? '')) &&
    (!ids.length || ids.includes(document.id?.value ?? '')) &&
    (!filters.statuses?.length || filters.statuses.includes(document.status?.value ?? ''));
  const selected = new Map<string, CapabilityDocument>();
  for (const document of byId.values()) if (matches(document)) selected.set(document.id?.value ?? '', document);
  if (filters.withDeps) {
    const queue = [...selected.values()];
    for (let document = queue.shift(); document; document = queue.shift()) {
      for (const dependency of document.depends) {
        const found = byId.get(dependency.value);
        if (found && !selected.has(dependency.value)) {
          selected.set(dependency.value, found);
          queue.push(found);
        }
      }
    }
  }
  return [...selected.values()].sort((a, b) => (a.id?.value ?? '').localeCompare(b.id?.value ?? ''));
}

/** The scenarios the documents' test_refs name, in document order, each once. */
function scenariosOf(catalog: Catalog, documents: readonly CapabilityDocument[]): ScenarioRef[] {
  const index = new Map(allScenarios(catalog).map((scenario) => [scenarioId(scenario), scenario]));
  const chosen = new Map<string, ScenarioRef>();
  for (const document of documents) {
    for (const ref of document.testRefs) {
      const split = splitTestRef(ref.value);
      const scenario = split ? index.get(scenarioId(split)) : undefined;
      if (scenario) chosen.set(scenarioId(scenario), scenario);
    }
  }
  return [...chosen.values()];
}

/** Files, folders, or node ids (`file::name`: that test, its parametrised cases, or a class's methods). */
function filterByPaths(root: string, cwd: string, scenarios: ScenarioRef[], paths: readonly string[]): ScenarioRef[] {
  if (paths.length === 0) return scenarios;
  const targets = paths.map((path) => {
    const split = path.indexOf('::');
    const file = split < 0 ? path : path.slice(0, split);
    const absolute = existsSync(resolve(cwd, file)) ? resolve(cwd, file) : resolve(root, file);
    if (!existsSync(absolute)) throw new UsageError(`no such scenario file or folder '${file}'`, 'Give a path under src/scenarios/ or a pytest test folder, e.g. src/scenarios/spec.');
    return { prefix: relative(root, absolute).split(sep).join('/'), name: split < 0 ? undefined : path.slice(split + 2) };
  });
  const matches = (scenario: ScenarioRef, target: { prefix: string; name: string | undefined }) =>
    target.name === undefined
      ? scenario.file === target.prefix || scenario.file.startsWith(`${target.prefix}/`) || target.prefix === ''
      : scenario.file === target.prefix && (scenario.name === target.name || [`${target.name}[`, `${target.name}::`].some((start) => scenario.name.startsWith(start)));
  return scenarios.filter((scenario) => targets.some((target) => matches(scenario, target)));
}

function compileGrep(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (error) {
    throw new UsageError(`--grep '${pattern}' is not a valid regular expression`, error instanceof Error ? error.message : String(error));
  }
}
