/**
 * The pytest side of the catalog. Its files: every `.py` file a `test_refs`
 * entry names, plus the test files under the pytest roots (configured, or
 * the pytest root of each named file). Each is scanned as text; its tests
 * become catalog scenarios under the capability their marker declares, else
 * the capability whose document names them, else none (''). A parametrised
 * reference (`test_fn[case]`) is a scenario of its own; a function that is
 * only referenced by cases is represented by those cases.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitTestRef } from '../catalog.ts';
import type { PytestSettings } from '../config.ts';
import type { ScenarioModule } from '../load-scenarios.ts';
import type { RepoTree } from '../read-catalog.ts';
import type { CapabilityDocument, ScenarioRef } from '../types.ts';
import { isPytestFile, parsePytestName } from './node-id.ts';
import { createRootFinder, findPytestFiles } from './pytest-files.ts';
import { scanPythonModule, type ScannedPythonModule } from './scan-python.ts';

export interface PytestIndex {
  /** Repo-relative folders searched for test files. */
  readonly roots: readonly string[];
  /** Scans of the pytest files that could be read, by repo-relative path. */
  readonly files: ReadonlyMap<string, ScannedPythonModule>;
  /** Repo-relative pytest root of a file ('' for the repository root). */
  rootOf(file: string): string;
}

interface Reference {
  readonly file: string;
  readonly qualified: string;
  readonly param?: string;
  readonly capability: string;
}

function pytestReferences(documents: readonly CapabilityDocument[]): Reference[] {
  return documents.flatMap((document) =>
    document.testRefs.flatMap((ref) => {
      const split = splitTestRef(ref.value);
      const name = split && isPytestFile(split.file) ? parsePytestName(split.name) : undefined;
      if (!split || !name) return [];
      return [{ file: split.file, qualified: name.qualified, ...(name.param === undefined ? {} : { param: name.param }), capability: document.id?.value ?? '' }];
    }),
  );
}

export function loadPytest(root: string, documents: readonly CapabilityDocument[], settings: PytestSettings, tree: RepoTree): { index: PytestIndex; modules: ScenarioModule[] } {
  const references = pytestReferences(documents);
  const rootOf = createRootFinder(root);
  const named = [...new Set(references.map((ref) => ref.file))].filter((file) => tree.stat(file).state === 'exact');
  const roots = settings.roots ?? [...new Set(named.map(rootOf))].sort();
  const files = [...new Set([...roots.flatMap((dir) => findPytestFiles(root, dir)), ...named])].sort();
  const scans = new Map<string, ScannedPythonModule>();
  const modules = files.map((file): ScenarioModule => {
    let text: string;
    try {
      text = readFileSync(join(root, file), 'utf8');
    } catch (error) {
      return { status: 'error', file, line: 1, message: `cannot read pytest module: ${error instanceof Error ? error.message : String(error)}` };
    }
    const scan = scanPythonModule(file, text);
    scans.set(file, scan);
    return { status: 'ok', file, scenarios: scenariosOf(scan, references.filter((ref) => ref.file === file)) };
  });
  return { index: { roots, files: scans, rootOf }, modules };
}

function scenariosOf(scan: ScannedPythonModule, references: readonly Reference[]): ScenarioRef[] {
  return scan.tests.flatMap((test) => {
    const refs = references.filter((ref) => ref.qualified === test.qualified);
    const capability = test.capabilities[0] ?? refs[0]?.capability ?? '';
    const cases = [...new Set(refs.flatMap((ref) => (ref.param === undefined ? [] : [ref.param])))];
    const whole = refs.length === 0 || refs.some((ref) => ref.param === undefined);
    const names = [...(whole ? [test.qualified] : []), ...cases.map((param) => `${test.qualified}[${param}]`)];
    return names.map((name) => ({ file: scan.file, name, capability, line: test.line }));
  });
}
