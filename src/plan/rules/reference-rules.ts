/** Rules that resolve a document's references against the repository and the scenario modules. */
import { moduleAt, splitTestRef, type Catalog } from '../catalog.ts';
import { issue } from '../parse-capability.ts';
import { SCENARIOS_DIR } from '../read-catalog.ts';
import { didYouMean } from '../../util/suggest.ts';
import type { CapabilityDocument, Located, ValidationIssue } from '../types.ts';
import { isPytestFile } from '../pytest/node-id.ts';
import { checkPytestRef } from '../pytest/pytest-rules.ts';

/** spec_refs and code_refs name files or folders that exist with exactly this letter case. */
export function pathRefsResolve(catalog: Catalog, document: CapabilityDocument): ValidationIssue[] {
  const refs = [...document.specRefs.map((ref) => ['spec_refs', ref] as const), ...document.codeRefs.map((ref) => ['code_refs', ref] as const)];
  return refs.flatMap(([field, ref]) => checkPath(catalog, document.file, field, ref));
}

function checkPath(catalog: Catalog, file: string, field: string, ref: Located<string>): ValidationIssue[] {
  const path = ref.value.replace(/#.*$/, '').replace(/:\d+(?::\d+)?$/, '');
  if (path.startsWith('/') || path.split('/').includes('..')) {
    return [issue('REF_MISSING', file, ref.line, `${field} '${ref.value}' is not a repository-relative path`, 'Write paths relative to the repository root, without leading / or ..')];
  }
  const found = catalog.tree.stat(path);
  if (found.state === 'missing') {
    return [issue('REF_MISSING', file, ref.line, `${field} '${ref.value}' does not exist`, 'Fix the path, or create the file it names.')];
  }
  if (found.state === 'case-mismatch') {
    return [issue('REF_CASE_MISMATCH', file, ref.line, `${field} '${path}' differs in letter case from '${found.actual ?? ''}' on disk`, `Write '${found.actual ?? ''}': case-sensitive file systems (Linux CI) will not find '${path}'.`)];
  }
  return [];
}

/** test_refs are `file::name`, and the file holds a scenario of that name for this capability. */
export function testRefsResolve(catalog: Catalog, document: CapabilityDocument): ValidationIssue[] {
  return document.testRefs.flatMap((ref) => checkTestRef(catalog, document, ref));
}

function checkTestRef(catalog: Catalog, document: CapabilityDocument, ref: Located<string>): ValidationIssue[] {
  const split = splitTestRef(ref.value);
  if (split === undefined || split.file === '' || split.name === '') {
    return [issue('TEST_NODEID_INVALID', document.file, ref.line, `test_refs '${ref.value}' is not <file>::<scenario name>`, `Write e.g. ${SCENARIOS_DIR}/auth/auth-001-login.ts::<scenario name>.`)];
  }
  if (isPytestFile(split.file)) return checkPytestRef(catalog, document, ref, split.file, split.name);
  const found = catalog.tree.stat(split.file);
  if (found.state === 'missing') {
    return [issue('TEST_FILE_MISSING', document.file, ref.line, `scenario file '${split.file}' does not exist`, 'Fix the path, or write the scenario module.')];
  }
  if (found.state === 'case-mismatch') {
    return [issue('REF_CASE_MISMATCH', document.file, ref.line, `scenario file '${split.file}' differs in letter case from '${found.actual ?? ''}' on disk`, `Write '${found.actual ?? ''}'.`)];
  }
  const module = moduleAt(catalog, split.file);
  if (module === undefined) {
    return [issue('TEST_NODEID_INVALID', document.file, ref.line, `'${split.file}' is not a scenario module`, `Scenario modules live under ${SCENARIOS_DIR}/<domain>/ (not kit/ or fixtures/), or a scenario root of santokit-it.config.json; pytest tests are .py files.`)];
  }
  if (module.status === 'error') return []; // reported once, on the module itself
  const scenario = module.scenarios.find((candidate) => candidate.name === split.name);
  if (scenario === undefined) {
    const hint = didYouMean(split.name, module.scenarios.map((candidate) => candidate.name));
    return [issue('TEST_FUNCTION_MISSING', document.file, ref.line, `'${split.file}' has no scenario named '${split.name}'`, hint || 'Fix the name after ::, or define the scenario.')];
  }
  const id = document.id?.value;
  if (id !== undefined && scenario.capability !== id) {
    return [issue('SCENARIO_CAPABILITY_MISMATCH', document.file, ref.line, `scenario '${split.name}' declares capability ${scenario.capability} but is referenced from ${id}`, `Reference it from ${scenario.capability}, or change the capability it declares.`)];
  }
  return [];
}
