/** Shapes of the capability catalog, shared by parse, rules, select and reports. */
import type { ValidationIssue } from '../model/validation.ts';

export const DOMAINS = ['operator', 'auth', 'crud', 'security', 'logics', 'storage', 'sdk', 'mcp'] as const;
export type Domain = (typeof DOMAINS)[number];

export { STATUSES, type CapabilityStatus } from '../model/capability.ts';

export const SECTIONS = [
  'Intent',
  'Execution Semantics',
  'Observable Outcome',
  'Usage',
  'Acceptance Criteria',
  'Failure Modes',
] as const;

export const KNOWN_FIELDS = ['id', 'domain', 'title', 'status', 'depends', 'spec_refs', 'test_refs', 'code_refs'] as const;

/** A value from the front-matter with the 1-based file line it came from. */
export interface Located<T> {
  readonly value: T;
  readonly line: number;
}

export interface Section {
  readonly title: string;
  readonly line: number;
}

/** One capability document, parsed but not yet validated across the catalog. */
export interface CapabilityDocument {
  /** Repo-relative POSIX path, e.g. `plan/capabilities/auth/AUTH-001-login.md`. */
  readonly file: string;
  readonly id: Located<string> | undefined;
  readonly domain: Located<string> | undefined;
  readonly title: Located<string> | undefined;
  readonly status: Located<string> | undefined;
  readonly depends: readonly Located<string>[];
  readonly specRefs: readonly Located<string>[];
  readonly testRefs: readonly Located<string>[];
  readonly codeRefs: readonly Located<string>[];
  readonly unknownFields: readonly Located<string>[];
  readonly sections: readonly Section[];
  /** Line of `## Acceptance Criteria`'s first `- [ ]` item, if any. */
  readonly acceptanceItems: number;
  /** Problems found while reading single fields (wrong YAML types). */
  readonly fieldIssues: readonly ValidationIssue[];
}

export type { Severity, ValidationIssue } from '../model/validation.ts';

/** A scenario as the catalog sees it: where it lives and what it claims to prove. */
export interface ScenarioRef {
  /** Repo-relative POSIX path of the module. */
  readonly file: string;
  readonly name: string;
  readonly capability: string;
  readonly line: number;
}

/** `file::name`, the id test_refs use. */
export function scenarioId(scenario: { readonly file: string; readonly name: string }): string {
  return `${scenario.file}::${scenario.name}`;
}
