/** The pre-merge check: every rule over the whole catalog, every issue collected. */
import type { Catalog } from './catalog.ts';
import * as documentRules from './rules/document-rules.ts';
import * as graphRules from './rules/graph-rules.ts';
import { pathRefsResolve, testRefsResolve } from './rules/reference-rules.ts';
import * as scenarioRules from './rules/scenario-rules.ts';
import { expectationsResolve } from './expectations.ts';
import { pytestTestsAreReferenced } from './pytest/pytest-rules.ts';
import type { ValidationReport } from '../model/validation.ts';
import type { CapabilityDocument, ValidationIssue } from './types.ts';

export interface ValidateOptions {
  /** Skip the four STATUS_* cardinality rules. */
  readonly relaxedStatus?: boolean;
}

export type { ValidationReport } from '../model/validation.ts';

type DocumentCheck = (catalog: Catalog, document: CapabilityDocument) => ValidationIssue[];

const perDocument: readonly DocumentCheck[] = [
  (_, document) => documentRules.domainIsKnown(document),
  (_, document) => documentRules.idIsWellFormed(document),
  (_, document) => documentRules.filenameMatchesId(document),
  (_, document) => documentRules.statusIsKnown(document),
  (_, document) => documentRules.titleIsPresent(document),
  (_, document) => documentRules.sectionsArePresentAndOrdered(document),
  (_, document) => documentRules.acceptanceHasItems(document),
  (_, document) => documentRules.fieldsAreKnown(document),
  (_, document) => documentRules.dependsAreIds(document),
  (_, document) => [...document.fieldIssues],
  pathRefsResolve,
  testRefsResolve,
];

const acrossCatalog: readonly ((catalog: Catalog) => ValidationIssue[])[] = [
  graphRules.capabilityIdsAreUnique,
  graphRules.dependenciesExist,
  graphRules.dependenciesHaveNoCycle,
  graphRules.dependenciesAreAsMature,
  scenarioRules.scenarioModulesLoad,
  scenarioRules.scenarioNamesAreUnique,
  scenarioRules.scenariosAreReferenced,
  pytestTestsAreReferenced,
  (catalog) => (catalog.expectations ? [...catalog.expectations.issues, ...expectationsResolve(catalog, catalog.expectations)] : []),
];

export function validateCatalog(catalog: Catalog, options: ValidateOptions = {}): ValidationReport {
  const checks = options.relaxedStatus ? perDocument : [...perDocument, (_: Catalog, document: CapabilityDocument) => documentRules.statusMatchesRefs(document)];
  const issues = [
    ...catalog.parseIssues,
    ...catalog.documents.flatMap((document) => checks.flatMap((check) => check(catalog, document))),
    ...acrossCatalog.flatMap((rule) => rule(catalog)),
  ].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.code.localeCompare(b.code));
  return { ok: !issues.some((item) => item.severity === 'error'), issues, summary: summarise(catalog, issues) };
}

function summarise(catalog: Catalog, issues: readonly ValidationIssue[]): ValidationReport['summary'] {
  const byCode: Record<string, number> = {};
  for (const item of issues) byCode[item.code] = (byCode[item.code] ?? 0) + 1;
  return {
    documents: catalog.documents.length + catalog.parseIssues.filter((item) => item.file.endsWith('.md')).length,
    scenarios: catalog.modules.reduce((count, module) => count + (module.status === 'ok' ? module.scenarios.length : 0), 0),
    errors: issues.filter((item) => item.severity === 'error').length,
    warnings: issues.filter((item) => item.severity === 'warning').length,
    byCode,
  };
}
