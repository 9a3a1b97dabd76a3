/** Reads and parses the whole catalog: config, documents, scenario and pytest modules, baseline, a view of the tree. */
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.ts';
import type { Catalog } from './catalog.ts';
import { readConfig } from './config.ts';
import { readExpectations, type ExpectationSet } from './expectations.ts';
import { loadScenarioModules } from './load-scenarios.ts';
import { parseCapabilityFiles } from './parse-files.ts';
import { loadPytest } from './pytest/load-pytest.ts';
import { createRepoTree, findCapabilityFiles, findScenarioFiles } from './read-catalog.ts';

export interface LoadOptions {
  /** Absolute path of the `--expectations` file; the config's `expectations` otherwise. */
  readonly expectations?: string;
}

export async function loadCatalog(root: string, options: LoadOptions = {}): Promise<Catalog> {
  const { config, issues: configIssues } = readConfig(root);
  const [files, scenarioFiles] = await Promise.all([
    findCapabilityFiles(root),
    Promise.all(config.scenarioRoots.map((dir) => findScenarioFiles(root, dir))).then((lists) => [...new Set(lists.flat())].sort()),
  ]);
  const { documents, parseIssues } = parseCapabilityFiles(root, files);
  const tree = createRepoTree(root);
  const pytest = loadPytest(root, documents, config.pytest, tree);
  const modules = [...(await loadScenarioModules(root, scenarioFiles)), ...pytest.modules];
  const expectationsPath = options.expectations ?? (config.expectations === undefined ? undefined : join(root, config.expectations));
  const expectations = expectationsPath === undefined ? undefined : loadExpectations(root, expectationsPath);
  return {
    root,
    documents,
    parseIssues: [...configIssues, ...parseIssues],
    modules,
    tree,
    config,
    pytest: pytest.index,
    ...(expectations ? { expectations } : {}),
  };
}

function loadExpectations(root: string, path: string): ExpectationSet {
  if (!existsSync(path)) throw new UsageError(`no expectations file '${path}'`, 'Give --expectations a YAML or JSON file (README: "Known-failure baseline").');
  const inside = relative(root, resolve(path));
  const file = inside.startsWith('..') || isAbsolute(inside) ? path : inside.split(sep).join('/');
  return readExpectations(path, file);
}
