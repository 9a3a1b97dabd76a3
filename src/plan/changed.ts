/**
 * Impact selection (`--changed`): changed files → the capabilities they can
 * affect, through the catalog's own map. A file counts for a capability when
 * it is the capability's document; lies at or under a path its `code_refs` or
 * `spec_refs` name; is one of its test files (a scenario module declaring it,
 * or a file its `test_refs` name); is reached from such a test file through
 * imports inside the test tree (kit modules, pytest helpers and conftest
 * files); or is a fixture folder's file whose folder name such a test file
 * (or what it imports) spells out. Capabilities that depend on a chosen one,
 * transitively, follow. A change the map cannot attribute selects
 * everything; documentation, the tool's own tests and benchmarks never run
 * in a scenario and are set aside.
 */
import { documentsById, splitTestRef, type Catalog } from './catalog.ts';
import { CAPABILITIES_DIR, SCENARIOS_DIR } from './read-catalog.ts';
import type { SourceGraph } from './source-graph.ts';

export type ImpactReason =
  | { readonly kind: 'document'; readonly file: string }
  | { readonly kind: 'code_refs' | 'spec_refs'; readonly file: string; readonly ref: string }
  | { readonly kind: 'test-file'; readonly file: string }
  | { readonly kind: 'import'; readonly file: string; readonly via: string }
  | { readonly kind: 'fixture'; readonly file: string; readonly fixture: string; readonly via: string }
  | { readonly kind: 'depends'; readonly on: string };

export interface Impact {
  readonly files: readonly string[];
  /** A changed file could not be attributed: every scenario is selected. */
  readonly everything: boolean;
  readonly unattributed: readonly string[];
  /** Changed files that never run in a scenario, and why. */
  readonly ignored: readonly { readonly file: string; readonly why: string }[];
  /** Chosen capabilities, each with why; sorted by id. */
  readonly capabilities: ReadonlyMap<string, readonly ImpactReason[]>;
}

/** Test files and the capabilities each one proves. */
function testFiles(catalog: Catalog): Map<string, Set<string>> {
  const files = new Map<string, Set<string>>();
  const add = (file: string, capability: string) => {
    // A pytest test with no capability ('') is selected by path only; nothing to attribute it to.
    if (capability !== '') files.set(file, (files.get(file) ?? new Set<string>()).add(capability));
  };
  for (const module of catalog.modules) if (module.status === 'ok') for (const scenario of module.scenarios) add(module.file, scenario.capability);
  for (const document of catalog.documents) {
    for (const ref of document.testRefs) {
      const split = splitTestRef(ref.value);
      if (split && document.id) add(split.file, document.id.value);
    }
  }
  return files;
}

const FIXTURE = /(?:^|\/)fixtures\/([^/]+)\//;

/** Why a file no scenario can run is set aside; undefined when it may matter. */
function inertReason(file: string): string | undefined {
  // A capability document the catalog no longer has (deleted, or unreadable) is a change to the map itself.
  if (file.startsWith(`${CAPABILITIES_DIR}/`) && !file.endsWith('/README.md')) return undefined;
  if (file.endsWith('.md')) return 'documentation';
  if (file.startsWith('test/') || /\.test\.[cm]?[jt]s$/.test(file)) return 'tests of the tool or the reference stack (no scenario runs them)';
  if (file.startsWith('bench/')) return 'benchmarks';
  return undefined;
}

function under(file: string, ref: string): boolean {
  const path = ref.replace(/^\.\//, '').replace(/\/+$/, '');
  return file === path || file.startsWith(`${path}/`);
}

/** Fixture names are spelled as a path segment inside a string: `'basic'`, `"…/fixtures/basic"`. */
function mentions(text: string | undefined, name: string): boolean {
  if (text === undefined) return false;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`['"\`/]${escaped}['"\`/]`).test(text);
}

function directReasons(catalog: Catalog, graph: SourceGraph, file: string, tests: Map<string, Set<string>>): Map<string, ImpactReason[]> {
  const found = new Map<string, ImpactReason[]>();
  const add = (capability: string, reason: ImpactReason) => found.set(capability, [...(found.get(capability) ?? []), reason]);
  for (const document of catalog.documents) {
    const id = document.id?.value;
    if (id === undefined) continue;
    if (document.file === file) add(id, { kind: 'document', file });
    for (const ref of document.codeRefs) if (under(file, ref.value)) add(id, { kind: 'code_refs', file, ref: ref.value });
    for (const ref of document.specRefs) if (under(file, ref.value)) add(id, { kind: 'spec_refs', file, ref: ref.value });
  }
  const fixture = FIXTURE.exec(file)?.[1];
  for (const [test, capabilities] of tests) {
    const reached = graph.reaches(test);
    let reason: ImpactReason | undefined;
    if (test === file) reason = { kind: 'test-file', file };
    else if (reached.has(file) && (test.endsWith('.py') || file.startsWith(`${SCENARIOS_DIR}/`))) reason = { kind: 'import', file, via: test };
    else if (fixture !== undefined && [test, ...reached].some((source) => mentions(graph.text(source), fixture))) reason = { kind: 'fixture', file, fixture, via: test };
    if (reason) for (const capability of capabilities) add(capability, reason);
  }
  return found;
}

/** Adds every capability that depends on a chosen one, transitively, with the chosen ones it depends on. */
function addDependents(catalog: Catalog, chosen: Map<string, ImpactReason[]>): void {
  const byId = documentsById(catalog);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [id, document] of byId) {
      if (chosen.has(id)) continue;
      const on = document.depends.map((dependency) => dependency.value).filter((dependency) => chosen.has(dependency));
      if (on.length === 0) continue;
      chosen.set(id, on.map((dependency) => ({ kind: 'depends', on: dependency })));
      grew = true;
    }
  }
}

export function impactOf(catalog: Catalog, files: readonly string[], graph: SourceGraph): Impact {
  const tests = testFiles(catalog);
  const chosen = new Map<string, ImpactReason[]>();
  const unattributed: string[] = [];
  const ignored: { file: string; why: string }[] = [];
  for (const file of files) {
    const reasons = directReasons(catalog, graph, file, tests);
    for (const [capability, list] of reasons) chosen.set(capability, [...(chosen.get(capability) ?? []), ...list]);
    if (reasons.size > 0) continue;
    const why = inertReason(file);
    if (why !== undefined) ignored.push({ file, why });
    else unattributed.push(file);
  }
  addDependents(catalog, chosen);
  const capabilities = new Map([...chosen].sort(([a], [b]) => a.localeCompare(b)));
  return { files, everything: unattributed.length > 0, unattributed, ignored, capabilities };
}
