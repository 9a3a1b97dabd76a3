/** Reads and parses the whole catalog: documents, scenario modules, and a view of the tree. */
import type { Catalog } from './catalog.ts';
import { loadScenarioModules } from './load-scenarios.ts';
import { parseCapabilityFiles } from './parse-files.ts';
import { createRepoTree, findCapabilityFiles, findScenarioFiles } from './read-catalog.ts';

export async function loadCatalog(root: string): Promise<Catalog> {
  const [files, scenarioFiles] = await Promise.all([findCapabilityFiles(root), findScenarioFiles(root)]);
  const { documents, parseIssues } = parseCapabilityFiles(root, files);
  const modules = await loadScenarioModules(root, scenarioFiles);
  return { root, documents, parseIssues, modules, tree: createRepoTree(root) };
}
