import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../errors.ts';
import { coveringOf, refCovers, repoRelative } from './covering.ts';

const doc = (id: string, ...refs: string[]) => ({ id: { value: id, line: 2 }, codeRefs: refs.map((value) => ({ value, line: 9 })) });
const DOCUMENTS = [
  doc('CRUD-002', 'reference/bridge/where.ts', 'reference/bridge/mutate.ts'),
  doc('SECURITY-004', './reference/bridge/'),
  doc('AUTH-001', 'reference/bridge/credentials.ts'),
  doc('OPERATOR-001', 'reference/hub/routes'),
];

test('a file selects the capabilities naming it or a folder holding it, sorted, with the entry that did', () => {
  const covering = coveringOf(DOCUMENTS, ['reference/bridge/where.ts']);
  assert.deepEqual([...covering.capabilities.keys()], ['CRUD-002', 'SECURITY-004']);
  assert.deepEqual(covering.capabilities.get('SECURITY-004'), [{ file: 'reference/bridge/where.ts', ref: './reference/bridge/' }]);
});

test('several files: the union; a folder given also takes the capabilities naming files inside it', () => {
  const both = coveringOf(DOCUMENTS, ['reference/bridge/credentials.ts', 'reference/hub/routes/members.ts']);
  assert.deepEqual([...both.capabilities.keys()], ['AUTH-001', 'OPERATOR-001', 'SECURITY-004']);
  assert.deepEqual([...coveringOf(DOCUMENTS, ['reference/hub']).capabilities.keys()], ['OPERATOR-001']);
});

test('a name is matched by path segments, not by prefix of a name', () => {
  assert.equal(refCovers('reference/bridge/where.ts', 'reference/bridge/where.ts.bak'), false);
  assert.equal(refCovers('reference/bri', 'reference/bridge/where.ts'), false);
  assert.equal(refCovers('', 'reference/bridge/where.ts'), false);
});

test('a file no code_refs name is refused with a hint naming nearby paths', () => {
  assert.throws(
    () => coveringOf(DOCUMENTS, ['reference/bridge/where.ts', 'reference/hub/route.ts']),
    (error: unknown) =>
      error instanceof UsageError &&
      error.exitCode === 2 &&
      /no capability's code_refs name this file/.test(error.message) &&
      error.message.includes('reference/hub/route.ts') &&
      (error.hint ?? '').includes('reference/hub/routes'),
  );
});

test('paths resolve from the working directory, else the root; missing and outside paths are refused', () => {
  const root = mkdtempSync(join(tmpdir(), 'covering-'));
  try {
    mkdirSync(join(root, 'reference/bridge'), { recursive: true });
    writeFileSync(join(root, 'reference/bridge/where.ts'), '');
    assert.equal(repoRelative(root, join(root, 'reference'), 'bridge/where.ts'), 'reference/bridge/where.ts');
    assert.equal(repoRelative(root, tmpdir(), 'reference/bridge/where.ts'), 'reference/bridge/where.ts');
    assert.throws(() => repoRelative(root, root, 'reference/bridge/nope.ts'), /no such file or folder/);
    assert.throws(() => repoRelative(root, root, tmpdir()), /outside the repository root/);
    assert.throws(() => repoRelative(root, root, '.'), /not the root itself/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
