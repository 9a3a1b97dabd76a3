/** `npm run mutate`'s summariser and resume, on small Stryker-report-shaped fixtures. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { currentReport, journalTimes, prepareResume, sourceHash } from '../scripts/mutate/resume.js';
import { formatSummary, summarise, type MutationReport } from '../scripts/mutate/summary.js';
import { PACKAGE_ROOT } from './helpers/catalog-fixture.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'test/fixtures/mutation', name), 'utf8')) as MutationReport;
const WHERE = 'reference/bridge/where.ts';
const CREDENTIALS = 'reference/bridge/credentials.ts';
const EQUIVALENT = [
  { file: WHERE, line: 3, mutator: 'StringLiteral', replacement: '""', reason: 'the text is never read' },
  { file: WHERE, line: 2, mutator: 'StringLiteral', replacement: '"other"', reason: 'names another replacement' },
  { file: WHERE, line: 2, column: 8, mutator: 'EqualityOperator', reason: 'names another column' },
  { file: WHERE, line: 2, mutator: 'EqualityOperator', original: 'rows < 1', reason: 'names other code' },
];

const summary = () =>
  summarise({
    files: [
      { file: WHERE, report: fixture('report.json'), capabilities: ['CRUD-002', 'SECURITY-004'] },
      { file: CREDENTIALS, report: fixture('credentials-report.json'), capabilities: ['AUTH-001', 'SECURITY-004'] },
      { file: 'reference/hub/crypto.ts', capabilities: [], skipped: 'no capability names it' },
    ],
    equivalent: EQUIVALENT,
  });

test('per file: killed and timed out count as killed, not executed counts against, equivalent and invalid leave the score', () => {
  const [where, credentials, crypto] = summary().files;
  assert.deepEqual(where, {
    file: WHERE,
    capabilities: ['CRUD-002', 'SECURITY-004'],
    mutants: 6,
    killed: 1,
    timedOut: 1,
    survived: 1,
    notExecuted: 1,
    equivalent: 1,
    errors: 1,
    ignored: 0,
    pending: 0,
    score: 50,
  });
  assert.equal(credentials?.score, 100);
  assert.equal(credentials?.pending, 1);
  assert.equal(crypto?.score, null);
  assert.equal(crypto?.skipped, 'no capability names it');
});

test('per capability: the mutants of every file its code_refs name', () => {
  const rows = summary().capabilities.map((row) => [row.id, row.files, row.score]);
  assert.deepEqual(rows, [
    ['AUTH-001', [CREDENTIALS], 100],
    ['CRUD-002', [WHERE], 50],
    ['SECURITY-004', [WHERE, CREDENTIALS], 60],
  ]);
  assert.equal(summary().total.score, 60);
});

test('survivors: file:line:column, mutator and replacement on one line, with the capabilities; equivalents left out', () => {
  const { survivors } = summary();
  assert.deepEqual(
    survivors.map((mutant) => [
      mutant.line,
      mutant.column,
      mutant.mutator,
      mutant.original,
      mutant.replacement,
      mutant.status,
    ]),
    [
      [1, 36, 'BlockStatement', "{ if (rows > 1) return 'many'; return 'one'; }", '{ }', 'NoCoverage'],
      [2, 7, 'EqualityOperator', 'rows > 1', 'rows >= 1', 'Survived'],
    ],
  );
  const text = formatSummary(summary());
  assert.match(
    text,
    /^ +50\.0% {2}reference\/bridge\/where\.ts {2}2\/4 killed, 1 by timeout, 1 not executed by any claiming capability, 1 equivalent, 1 invalid$/m,
  );
  assert.match(
    text,
    /^ {2}reference\/bridge\/where\.ts:1:36 BlockStatement: .* → \{ \} \(not executed by any claiming capability\) {2}\[CRUD-002, SECURITY-004\]$/m,
  );
  assert.deepEqual(
    survivors.map((mutant) => mutant.note),
    ['not executed by any claiming capability', undefined],
  );
  assert.match(text, /^ +60\.0% {2}SECURITY-004 {2}3\/5 killed/m);
  assert.match(text, /reference\/hub\/crypto\.ts {2}skipped: no capability names it/);
  assert.match(
    text,
    /^ {2}reference\/bridge\/where\.ts:2:7 EqualityOperator: rows > 1 → rows >= 1 {2}\[CRUD-002, SECURITY-004\]$/m,
  );
  assert.doesNotMatch(text, /where\.ts:3:10/);
});

test('resume: journaled mutants join the incremental file; --retest-survivors drops survivors from both', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mutate-resume-'));
  try {
    const report = fixture('credentials-report.json');
    const source = report.files[CREDENTIALS]?.source ?? '';
    const files = {
      file: CREDENTIALS,
      source,
      incrementalFile: join(dir, 'inc.json'),
      journalFile: join(dir, 'journal.jsonl'),
    };
    writeFileSync(files.incrementalFile, JSON.stringify(report));
    const pending = report.files[CREDENTIALS]?.mutants[1];
    const line = JSON.stringify({ ...pending, status: 'Survived', seconds: 12.5 });
    writeFileSync(files.journalFile, `${JSON.stringify({ sourceHash: sourceHash(source) })}\n${line}\n{"cut sh`);
    const statuses = () => currentReport(files)?.files[CREDENTIALS]?.mutants.map((mutant) => mutant.status);
    assert.deepEqual(statuses(), ['Killed', 'Survived']);
    assert.deepEqual(journalTimes(files.journalFile, source), [12.5]);
    prepareResume({ ...files, retest: false });
    assert.deepEqual(statuses(), ['Killed', 'Survived'], 'a resume keeps what the journal holds');
    prepareResume({ ...files, retest: true });
    assert.deepEqual(statuses(), ['Killed']);
    assert.deepEqual(journalTimes(files.journalFile, source), []);
    writeFileSync(files.journalFile, `${JSON.stringify({ sourceHash: sourceHash('other code') })}\n${line}\n`);
    assert.deepEqual(statuses(), ['Killed'], "a journal of other code is not this file's");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('survivors with a coverage pass: the claiming capabilities that ran each, none for one not executed', () => {
  const guided = summarise({
    files: [
      {
        file: WHERE,
        report: fixture('report.json'),
        capabilities: ['CRUD-002', 'SECURITY-004'],
        executedBy: { '1': ['SECURITY-004', 'AUTH-009'], '3': ['CRUD-002'] },
      },
    ],
    equivalent: EQUIVALENT,
  });
  assert.deepEqual(
    guided.survivors.map((mutant) => [mutant.id, mutant.status, mutant.ranBy]),
    [
      ['4', 'NoCoverage', []],
      ['1', 'Survived', ['SECURITY-004']],
    ],
  );
  const text = formatSummary(guided);
  assert.match(text, /where\.ts:2:7 EqualityOperator: rows > 1 → rows >= 1 {2}\[SECURITY-004\]$/m);
  assert.match(
    text,
    /where\.ts:1:36 BlockStatement: .*\(not executed by any claiming capability\) {2}\[CRUD-002, SECURITY-004\]$/m,
  );
});
