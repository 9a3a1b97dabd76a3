/** The loaded catalog every rule, selector and report works from. */
import type { ProjectConfig } from './config.ts';
import type { ExpectationSet } from './expectations.ts';
import type { RepoTree } from './read-catalog.ts';
import type { ScenarioModule } from './load-scenarios.ts';
import type { PytestIndex } from './pytest/load-pytest.ts';
import type { CapabilityDocument, ScenarioRef, ValidationIssue } from './types.ts';

export interface Catalog {
  readonly root: string;
  readonly documents: readonly CapabilityDocument[];
  /** Documents that could not be parsed at all. */
  readonly parseIssues: readonly ValidationIssue[];
  /** Scenario modules and pytest modules alike; a test's kind is its file's (`pytest/node-id.ts`). */
  readonly modules: readonly ScenarioModule[];
  readonly tree: RepoTree;
  /** `santokit-it.config.json`, or the defaults. */
  readonly config: ProjectConfig;
  readonly pytest: PytestIndex;
  /** The known-failure baseline, when one was given. */
  readonly expectations?: ExpectationSet;
}

const modulesByFile = new WeakMap<Catalog, ReadonlyMap<string, ScenarioModule>>();

/** The scenario module at a repo-relative path, looked up in O(1). */
export function moduleAt(catalog: Catalog, file: string): ScenarioModule | undefined {
  let index = modulesByFile.get(catalog);
  if (index === undefined) {
    index = new Map(catalog.modules.map((module) => [module.file, module]));
    modulesByFile.set(catalog, index);
  }
  return index.get(file);
}

export function allScenarios(catalog: Catalog): ScenarioRef[] {
  return catalog.modules.flatMap((module) => (module.status === 'ok' ? module.scenarios : []));
}

/** Documents by id; the first document wins when ids repeat (ID_DUPLICATE reports the rest). */
export function documentsById(catalog: Catalog): Map<string, CapabilityDocument> {
  const byId = new Map<string, CapabilityDocument>();
  for (const document of catalog.documents) {
    const id = document.id?.value;
    if (id !== undefined && !byId.has(id)) byId.set(id, document);
  }
  return byId;
}

/** Splits a test_refs entry `file::name`; undefined when there is no `::`. */
export function splitTestRef(ref: string): { file: string; name: string } | undefined {
  const index = ref.indexOf('::');
  if (index < 0) return undefined;
  return { file: ref.slice(0, index).trim(), name: ref.slice(index + 2).trim() };
}
