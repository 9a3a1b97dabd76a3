/** Rules that look at one capability document on its own. */
import { issue } from '../parse-capability.ts';
import { DOMAINS, SECTIONS, STATUSES, type CapabilityDocument, type ValidationIssue } from '../types.ts';

export const ID_PATTERN = /^[A-Z][A-Z0-9]*-\d{3}$/;
const FILENAME_PATTERN = /^([A-Z][A-Z0-9]*-\d{3})-[a-z0-9]+(?:-[a-z0-9]+)*\.md$/;

type DocumentRule = (document: CapabilityDocument) => ValidationIssue[];

function folderDomain(document: CapabilityDocument): string | undefined {
  const parts = document.file.split('/');
  return parts.length >= 4 ? parts[parts.length - 2] : undefined;
}

export const domainIsKnown: DocumentRule = (document) => {
  const issues: ValidationIssue[] = [];
  const folder = folderDomain(document);
  const allowed = DOMAINS.join(', ');
  if (folder === undefined || !(DOMAINS as readonly string[]).includes(folder)) {
    issues.push(issue('DOMAIN_INVALID', document.file, 1, `folder '${folder ?? ''}' is not a known domain`, `Move the file under plan/capabilities/<domain>/ with one of: ${allowed}.`));
  }
  const domain = document.domain;
  if (domain === undefined) {
    issues.push(issue('DOMAIN_INVALID', document.file, 1, 'front-matter has no `domain`', `Add \`domain:\` with one of: ${allowed}.`));
  } else if (!(DOMAINS as readonly string[]).includes(domain.value)) {
    issues.push(issue('DOMAIN_INVALID', document.file, domain.line, `domain '${domain.value}' is not known`, `Use one of: ${allowed}.`));
  } else if (folder !== undefined && folder !== domain.value) {
    issues.push(issue('FRONTMATTER_DOMAIN_MISMATCH', document.file, domain.line, `domain '${domain.value}' but the file is in folder '${folder}'`, 'Make the front-matter domain and the folder agree.'));
  }
  return issues;
};

export const idIsWellFormed: DocumentRule = (document) => {
  const id = document.id;
  if (id === undefined) {
    return [issue('ID_FORMAT', document.file, 1, 'front-matter has no `id`', 'Add `id: DOMAIN-NNN`, e.g. `id: AUTH-001`.')];
  }
  if (!ID_PATTERN.test(id.value)) {
    return [issue('ID_FORMAT', document.file, id.line, `id '${id.value}' is not DOMAIN-NNN`, 'Use the upper-case domain, a dash and three digits, e.g. AUTH-001.')];
  }
  const domain = document.domain?.value;
  const prefix = id.value.slice(0, id.value.lastIndexOf('-')).toLowerCase();
  if (domain !== undefined && prefix !== domain) {
    return [issue('ID_DOMAIN_MISMATCH', document.file, id.line, `id '${id.value}' does not start with domain '${domain}'`, `Use an id of the form ${domain.toUpperCase()}-NNN.`)];
  }
  return [];
};

export const filenameMatchesId: DocumentRule = (document) => {
  const base = document.file.slice(document.file.lastIndexOf('/') + 1);
  const match = FILENAME_PATTERN.exec(base);
  if (!match) {
    return [issue('FILENAME_FORMAT', document.file, 1, `file name '${base}' is not <ID>-<slug>.md`, 'Name it like AUTH-001-hub-issuer-login.md (lower-case kebab slug).')];
  }
  const id = document.id;
  if (id !== undefined && match[1] !== id.value) {
    return [issue('FILENAME_ID_MISMATCH', document.file, id.line, `file name says ${match[1]} but id is ${id.value}`, 'Rename the file or fix the id so they agree.')];
  }
  return [];
};

export const statusIsKnown: DocumentRule = (document) => {
  const status = document.status;
  const allowed = STATUSES.join(', ');
  if (status === undefined) return [issue('STATUS_INVALID', document.file, 1, 'front-matter has no `status`', `Add \`status:\` with one of: ${allowed}.`)];
  if (!(STATUSES as readonly string[]).includes(status.value)) {
    return [issue('STATUS_INVALID', document.file, status.line, `status '${status.value}' is not known`, `Use one of: ${allowed}.`)];
  }
  return [];
};

export const titleIsPresent: DocumentRule = (document) =>
  document.title === undefined || document.title.value.trim() === ''
    ? [issue('TITLE_MISSING', document.file, document.title?.line ?? 1, 'front-matter has no `title`', 'Add `title:` with a short sentence naming the capability.')]
    : [];

export const sectionsArePresentAndOrdered: DocumentRule = (document) => {
  const issues: ValidationIssue[] = [];
  const positions = document.sections.map((section) => (SECTIONS as readonly string[]).indexOf(section.title));
  const lastLine = document.sections.at(-1)?.line ?? 1;
  SECTIONS.forEach((required, position) => {
    if (!positions.includes(position)) {
      issues.push(issue('SECTION_MISSING', document.file, lastLine, `section '## ${required}' is missing`, `Add '## ${required}'; the six sections are, in order: ${SECTIONS.join(', ')}.`));
    }
  });
  let expected = 0;
  for (const [index, position] of positions.entries()) {
    if (position < 0) continue;
    if (position < expected) {
      const section = document.sections[index];
      issues.push(issue('SECTION_ORDER', document.file, section?.line ?? 1, `section '## ${section?.title ?? ''}' is out of order`, `Order the sections: ${SECTIONS.join(', ')}.`));
      break;
    }
    expected = position;
  }
  return issues;
};

export const acceptanceHasItems: DocumentRule = (document) => {
  const section = document.sections.find((candidate) => candidate.title === 'Acceptance Criteria');
  if (section === undefined || document.acceptanceItems > 0) return [];
  return [issue('ACCEPTANCE_FORMAT', document.file, section.line, 'Acceptance Criteria has no `- [ ]` item', 'List each criterion as `- [ ] <observable outcome>`.')];
};

export const fieldsAreKnown: DocumentRule = (document) =>
  document.unknownFields.map((field) => ({
    ...issue('FIELD_UNKNOWN', document.file, field.line, `unknown front-matter field '${field.value}'`, 'Remove it, or check its spelling against the documented fields.'),
    severity: 'warning' as const,
  }));

export const dependsAreIds: DocumentRule = (document) =>
  document.depends
    .filter((dependency) => !ID_PATTERN.test(dependency.value))
    .map((dependency) => issue('DEPENDS_FORMAT', document.file, dependency.line, `depends entry '${dependency.value}' is not a capability id`, 'List capability ids such as AUTH-001.'));

export const statusMatchesRefs: DocumentRule = (document) => {
  const issues: ValidationIssue[] = [];
  const status = document.status?.value;
  const line = document.status?.line ?? 1;
  if (status === 'planned') {
    const test = document.testRefs[0];
    const code = document.codeRefs[0];
    if (test) issues.push(issue('STATUS_PLANNED_HAS_TESTS', document.file, test.line, 'a planned capability lists test_refs', 'Set status to in_progress or implemented, or empty test_refs.'));
    if (code) issues.push(issue('STATUS_PLANNED_HAS_CODE', document.file, code.line, 'a planned capability lists code_refs', 'Set status to in_progress or implemented, or empty code_refs.'));
  } else if (status === 'implemented') {
    if (document.testRefs.length === 0) issues.push(issue('STATUS_IMPLEMENTED_MISSING_TESTS', document.file, line, 'an implemented capability has no test_refs', 'Name the scenarios that prove it, or lower the status.'));
    if (document.codeRefs.length === 0) issues.push(issue('STATUS_IMPLEMENTED_MISSING_CODE', document.file, line, 'an implemented capability has no code_refs', 'Name the code that implements it, or lower the status.'));
  }
  return issues;
};
