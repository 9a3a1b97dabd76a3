/**
 * Which catalog errors stop a run. `validate` fails on every error; a run
 * refuses only errors that change what it would run or how it judges it. A
 * broken `spec_refs` or `code_refs` path (REF_MISSING, REF_CASE_MISMATCH on
 * those fields) is a documentation error: the run reports it and goes on.
 */
import type { Catalog } from './catalog.ts';
import type { ValidationIssue } from './types.ts';

const PATH_CODES = new Set(['REF_MISSING', 'REF_CASE_MISMATCH']);

export function blockingIssues(catalog: Catalog, issues: readonly ValidationIssue[]): ValidationIssue[] {
  const pathRefLines = new Set(catalog.documents.flatMap((document) => [...document.specRefs, ...document.codeRefs].map((ref) => `${document.file}:${ref.line}`)));
  return issues.filter((item) => item.severity === 'error' && !(PATH_CODES.has(item.code) && pathRefLines.has(`${item.file}:${item.line}`)));
}
