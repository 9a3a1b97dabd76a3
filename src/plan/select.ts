/** Scenario selection: catalog filters, positional paths, grep and deterministic sharding. */
import { relative, resolve, sep } from 'node:path';
import { existsSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import { allScenarios, documentsById, splitTestRef, type Catalog } from './catalog.ts';
import { didYouMean } from '../util/suggest.ts';
import { DOMAINS, STATUSES, scenarioId, type CapabilityDocument, type ScenarioRef } from './types.ts';

export interface SelectionFilters {
  readonly fromPlan?: boolean;
  readonly domains?: readonly string[];
  readonly capabilities?: readonly string[];
  readonly statuses?: readonly string[];
  readonly grep?: string;
  readonly withDeps?: boolean;
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

export interface Selection {
  readonly capabilities: readonly CapabilityDocument[];
  readonly scenarios: readonly SelectedScenario[];
}

export function selectScenarios(catalog: Catalog, filters: SelectionFilters, cwd = process.cwd()): Selection {
  const byId = documentsById(catalog);
  const capabilityIds = (filters.capabilities ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
  checkNames('domain', filters.domains ?? [], DOMAINS);
  checkNames('capability', capabilityIds, [...byId.keys()].sort());
  checkNames('status', filters.statuses ?? [], STATUSES);
  const filtered = Boolean(filters.domains?.length || capabilityIds.length || filters.statuses?.length || filters.withDeps);
  const capabilities = selectCapabilities(catalog, filters, capabilityIds);
  let scenarios = filters.fromPlan || filtered ? scenariosOf(catalog, capabilities) : allScenarios(catalog);
  scenarios = filterByPaths(catalog.root, cwd, scenarios, filters.paths ?? []);
  if (filters.grep !== undefined) scenarios = scenarios.filter((scenario) => compileGrep(filters.grep ?? '').test(scenario.name));
  scenarios = applyShard(scenarios, filters.shard);
  return {
    capabilities,
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

function selectCapabilities(catalog: Catalog, filters: SelectionFilters, ids: readonly string[]): CapabilityDocument[] {
  const byId = documentsById(catalog);
  const matches = (document: CapabilityDocument): boolean =>
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

function filterByPaths(root: string, cwd: string, scenarios: ScenarioRef[], paths: readonly string[]): ScenarioRef[] {
  if (paths.length === 0) return scenarios;
  const prefixes = paths.map((path) => {
    const absolute = existsSync(resolve(cwd, path)) ? resolve(cwd, path) : resolve(root, path);
    if (!existsSync(absolute)) throw new UsageError(`no such scenario file or folder '${path}'`, 'Give a path under src/scenarios/, e.g. src/scenarios/spec.');
    return relative(root, absolute).split(sep).join('/');
  });
  return scenarios.filter((scenario) => prefixes.some((prefix) => scenario.file === prefix || scenario.file.startsWith(`${prefix}/`) || prefix === ''));
}

function compileGrep(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (error) {
    throw new UsageError(`--grep '${pattern}' is not a valid regular expression`, error instanceof Error ? error.message : String(error));
  }
}

/** Contiguous, stable slices of the id-sorted list: the same input always gives the same shard. */
export function applyShard<T extends { readonly file: string; readonly name: string }>(items: readonly T[], shard: string | undefined): T[] {
  if (shard === undefined) return [...items];
  const match = /^(\d+)\/(\d+)$/.exec(shard);
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (!match || total < 1 || index < 1 || index > total) {
    throw new UsageError(`--shard '${shard}' is not i/n with 1 ≤ i ≤ n`, 'Write e.g. --shard 2/4.');
  }
  const sorted = [...items].sort((a, b) => scenarioId(a).localeCompare(scenarioId(b)));
  const start = Math.floor(((index - 1) * sorted.length) / total);
  const end = Math.floor((index * sorted.length) / total);
  const picked = new Set(sorted.slice(start, end));
  return items.filter((item) => picked.has(item));
}
