/**
 * The known-failure baseline (`--expectations FILE`, YAML or JSON): a
 * mapping from a test id (`file::name`) or a capability id to what is
 * expected of it instead of passing, and why:
 *
 *     tests/x/test_a.py::test_one:
 *       expect: fail        # fail | skip
 *       reason: the reference stack has no object store yet
 *
 * Every entry must name a test or a capability of the catalog.
 */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, type Pair } from 'yaml';
import { allScenarios, documentsById, type Catalog } from './catalog.ts';
import { issue } from './parse-capability.ts';
import { scenarioId, type ValidationIssue } from './types.ts';
import { closest } from '../util/suggest.ts';

export const EXPECTED_OUTCOMES = ['fail', 'skip'] as const;
export type ExpectedOutcome = (typeof EXPECTED_OUTCOMES)[number];

export interface Expectation {
  readonly id: string;
  readonly kind: 'test' | 'capability';
  readonly expect: ExpectedOutcome;
  readonly reason: string;
  /** The expectations file as reports show it, and the entry's line. */
  readonly file: string;
  readonly line: number;
}

export interface ExpectationSet {
  readonly file: string;
  readonly entries: readonly Expectation[];
  /** PARSE_ERROR and EXPECTATION_FORMAT problems found while reading. */
  readonly issues: readonly ValidationIssue[];
}

const CAPABILITY_ID = /^[A-Z][A-Z0-9]*-\d{3}$/;
const FIELDS = ['expect', 'reason'];

/** `path` is read; `file` is how issues and reports name it. Throws only when the file cannot be read. */
export function readExpectations(path: string, file: string): ExpectationSet {
  return parseExpectations(readFileSync(path, 'utf8'), file);
}

export function parseExpectations(text: string, file: string): ExpectationSet {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const firstError = document.errors[0];
  if (firstError) {
    const line = firstError.linePos?.[0]?.line ?? 1;
    return { file, entries: [], issues: [issue('PARSE_ERROR', file, line, `expectations are not valid YAML or JSON: ${firstError.message.split('\n')[0] ?? ''}`, 'Fix the syntax at this line.')] };
  }
  if (document.contents === null) return { file, entries: [], issues: [] };
  if (!isMap(document.contents)) {
    return { file, entries: [], issues: [issue('EXPECTATION_FORMAT', file, 1, 'expectations must be a mapping of test or capability ids to entries', 'Write `<test id or capability id>:` then `expect:` and `reason:` lines under it.')] };
  }
  const entries: Expectation[] = [];
  const issues: ValidationIssue[] = [];
  for (const pair of document.contents.items) {
    const line = isScalar(pair.key) && pair.key.range ? lines.linePos(pair.key.range[0]).line : 1;
    const read = readEntry(pair, file, line);
    if ('entry' in read) entries.push(read.entry);
    else issues.push(...read.issues);
  }
  return { file, entries, issues };
}

function readEntry(pair: Pair, file: string, line: number): { entry: Expectation } | { issues: ValidationIssue[] } {
  const problem = (message: string, hint: string) => ({ issues: [issue('EXPECTATION_FORMAT', file, line, message, hint)] });
  const id = isScalar(pair.key) ? String(pair.key.value).trim() : '';
  const kind = id.includes('::') ? 'test' : CAPABILITY_ID.test(id) ? 'capability' : undefined;
  if (kind === undefined) return problem(`'${id}' is neither a test id (file::name) nor a capability id`, 'Key each entry by a test id such as tests/x/test_a.py::test_one, or a capability id such as AUTH-001.');
  const value: unknown = isMap(pair.value) ? pair.value.toJSON() : undefined;
  if (typeof value !== 'object' || value === null) return problem(`'${id}' needs an entry with expect and reason`, 'Write `expect: fail` and `reason: …` under the id.');
  const fields = value as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !FIELDS.includes(key));
  if (unknown.length > 0) return problem(`'${id}' has unknown fields: ${unknown.join(', ')}`, `Entries have only ${FIELDS.join(' and ')}.`);
  const expect = fields.expect;
  if (!EXPECTED_OUTCOMES.includes(expect as ExpectedOutcome)) return problem(`'${id}': expect must be ${EXPECTED_OUTCOMES.join(' or ')}, not '${String(expect)}'`, 'fail: runs and counts a failure as expected; skip: does not run it.');
  const reason = typeof fields.reason === 'string' ? fields.reason.trim() : '';
  if (reason === '') return problem(`'${id}' gives no reason`, 'Say why it is expected to fail (an issue, a missing feature), so the entry can be removed when that changes.');
  return { entry: { id, kind, expect: expect as ExpectedOutcome, reason, file, line } };
}

/** EXPECTATION_UNKNOWN for every entry that names no test and no capability of the catalog. */
export function expectationsResolve(catalog: Catalog, set: ExpectationSet): ValidationIssue[] {
  const tests = allScenarios(catalog).map(scenarioId);
  const testIds = new Set(tests);
  const capabilities = [...documentsById(catalog).keys()];
  return set.entries.flatMap((entry) => {
    const known = entry.kind === 'test' ? testIds.has(entry.id) : capabilities.includes(entry.id);
    if (known) return [];
    const near = closest(entry.id, entry.kind === 'test' ? tests : capabilities, 1)[0];
    const hint = near ? `Did you mean '${near}'? ` : '';
    return [issue('EXPECTATION_UNKNOWN', entry.file, entry.line, `expectation '${entry.id}' names no ${entry.kind} of the catalog`, `${hint}Remove the entry if the ${entry.kind} is gone.`)];
  });
}

/** The entry for a test: its own, else its capability's. */
export function expectationFor(set: ExpectationSet | undefined, test: { readonly id: string; readonly capability: string }): Expectation | undefined {
  if (set === undefined) return undefined;
  return set.entries.find((entry) => entry.kind === 'test' && entry.id === test.id) ?? set.entries.find((entry) => entry.kind === 'capability' && entry.id === test.capability);
}
