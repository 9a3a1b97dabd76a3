/** Validation of pytest references, read from the test files' text: file, test, capability marker, orphans. */
import type { Catalog } from '../catalog.ts';
import { issue } from '../parse-capability.ts';
import type { CapabilityDocument, Located, ValidationIssue } from '../types.ts';
import { didYouMean } from '../../util/suggest.ts';
import { isPytestFile, parsePytestName } from './node-id.ts';

/** A `test_refs` entry naming a pytest test: the file exists (exact case), pytest collects the test, markers agree. */
export function checkPytestRef(catalog: Catalog, document: CapabilityDocument, ref: Located<string>, file: string, name: string): ValidationIssue[] {
  const at = (code: string, message: string, hint: string) => [issue(code, document.file, ref.line, message, hint)];
  const parsed = parsePytestName(name);
  if (parsed === undefined) {
    return at('TEST_NODEID_INVALID', `test_refs '${ref.value}' is not a pytest node id`, `Write ${file}::test_fn, ${file}::TestClass::test_method or ${file}::test_fn[case-id].`);
  }
  const found = catalog.tree.stat(file);
  if (found.state === 'missing') return at('TEST_FILE_MISSING', `pytest file '${file}' does not exist`, 'Fix the path, or write the test module.');
  if (found.state === 'case-mismatch') return at('REF_CASE_MISMATCH', `pytest file '${file}' differs in letter case from '${found.actual ?? ''}' on disk`, `Write '${found.actual ?? ''}'.`);
  const scan = catalog.pytest.files.get(file);
  if (scan === undefined) return []; // unreadable: reported once, on the module
  const test = scan.tests.find((candidate) => candidate.qualified === parsed.qualified);
  if (test === undefined) {
    const defined = scan.definitions.get(parsed.qualified);
    if (defined !== undefined) {
      return at('TEST_FUNCTION_MISSING', `'${parsed.qualified}' in '${file}' (line ${defined}) is not a test pytest collects`, 'pytest collects test* functions, and test* methods of Test* classes without __init__; rename it.');
    }
    const hint = didYouMean(parsed.qualified, scan.tests.map((candidate) => candidate.qualified));
    return at('TEST_FUNCTION_MISSING', `'${file}' has no test function '${parsed.qualified}'`, hint || 'Fix the name after ::, or write the test.');
  }
  const id = document.id?.value;
  if (id !== undefined && test.capabilities.length > 0 && !test.capabilities.includes(id)) {
    const declared = test.capabilities.join(', ');
    return at('SCENARIO_CAPABILITY_MISMATCH', `pytest test '${parsed.qualified}' is marked capability ${declared} but is referenced from ${id}`, `Reference it from ${declared}, or change its pytest.mark.capability marker (line ${test.line} or the module's pytestmark).`);
  }
  return [];
}

/**
 * Every pytest test under the roots is named by some document. One that
 * declares a capability and is not named is an error, as for scenarios; one
 * that declares none (a cross-capability contract) is a warning: it runs
 * only when selected by path.
 */
export function pytestTestsAreReferenced(catalog: Catalog): ValidationIssue[] {
  const referenced = new Set<string>();
  for (const document of catalog.documents) {
    for (const ref of document.testRefs) {
      const index = ref.value.indexOf('::');
      if (index < 0) continue;
      const name = parsePytestName(ref.value.slice(index + 2).trim());
      if (name) referenced.add(`${ref.value.slice(0, index).trim()}::${name.qualified}`);
    }
  }
  const issues: ValidationIssue[] = [];
  for (const [file, scan] of catalog.pytest.files) {
    if (!isPytestFile(file)) continue;
    for (const test of scan.tests) {
      const id = `${file}::${test.qualified}`;
      if (referenced.has(id)) continue;
      const capability = test.capabilities[0];
      issues.push(
        capability === undefined
          ? { ...issue('SCENARIO_ORPHAN', file, test.line, `pytest test '${test.qualified}' declares no capability and no document names it`, `It runs only when selected by path; name '${id}' in a capability's test_refs to count it there.`), severity: 'warning' }
          : issue('SCENARIO_ORPHAN', file, test.line, `pytest test '${test.qualified}' (${capability}) is named by no capability's test_refs`, `Add '${id}' to test_refs of ${capability}, or delete the test.`),
      );
    }
  }
  return issues;
}
