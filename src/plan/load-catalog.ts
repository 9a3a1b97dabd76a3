/** Reads and parses the whole catalog: documents, scenario modules, and a view of the tree. */
import type { Catalog } from './catalog.ts';
import { loadScenarioModules } from './load-scenarios.ts';
import { parseCapability } from './parse-capability.ts';
import { createRepoTree, findScenarioFiles, readCapabilityFiles } from './read-catalog.ts';
import type { CapabilityDocument, ValidationIssue } from './types.ts';

export async function loadCatalog(root: string): Promise<Catalog> {
  const [files, scenarioFiles] = await Promise.all([readCapabilityFiles(root), findScenarioFiles(root)]);
  const documents: CapabilityDocument[] = [];
  const parseIssues: ValidationIssue[] = [];
  for (const { file, text } of files) {
    const parsed = parseCapability(file, text);
    if (parsed.status === 'ok') documents.push(parsed.document);
    else parseIssues.push(parsed.issue);
  }
  const modules = await loadScenarioModules(root, scenarioFiles);
  return { root, documents, parseIssues, modules, tree: createRepoTree(root) };
}
