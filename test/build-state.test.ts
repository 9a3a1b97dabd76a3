import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { buildIsFresh, sourceFingerprint, STAMP } from '../scripts/build-state.js';

function write(root: string, file: string, text: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

/** Moves a file's modification time a minute past the stamp, as an edit after the build does. */
function edit(root: string, file: string): void {
  const later = new Date(Date.now() + 60_000);
  utimesSync(join(root, file), later, later);
}

test('each part is fresh until one of its own sources changes', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'build-state-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  write(root, 'src/cli.ts', 'export const cli = 1;\n');
  write(root, 'reference/shared/tokens.ts', 'export const key = 1;\n');
  write(root, 'reference/bridge/where.ts', "export { key } from '../shared/tokens.ts';\n");
  write(root, 'reference/bridge/main.ts', "import { key } from './where.ts';\nconsole.log(key);\n");
  write(root, 'reference/hub/main.ts', 'console.log(1);\n');
  write(root, 'reference/bridge/where.test.ts', 'export {};\n');
  assert.equal(buildIsFresh(root, 'runner'), false, 'no stamp: nothing is fresh');
  write(root, STAMP, `${JSON.stringify(await sourceFingerprint(root))}\n`);
  for (const part of ['runner', 'bridge', 'hub'] as const) assert.equal(buildIsFresh(root, part), true, part);

  edit(root, 'reference/bridge/where.test.ts');
  assert.equal(buildIsFresh(root, 'bridge'), true, 'a test file is not a source');
  edit(root, 'reference/shared/tokens.ts');
  assert.deepEqual(
    (['runner', 'bridge', 'hub'] as const).map((part) => buildIsFresh(root, part)),
    [true, false, true],
    'the Bridge imports the shared file through where.ts; the Hub and the runner do not',
  );
  write(root, 'src/new-module.ts', 'export {};\n');
  assert.equal(buildIsFresh(root, 'runner'), false, 'a new runner source');
  assert.equal(buildIsFresh(root, 'stk'), false, 'without an entry point a service counts every reference source');
});

test('a removed source or SANTOKIT_IT_FROM_SOURCE=1 sends the part to its sources', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'build-state-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  write(root, 'src/cli.ts', 'export {};\n');
  write(root, 'reference/idp/helper.ts', 'export const x = 1;\n');
  write(root, 'reference/idp/main.ts', "import { x } from './helper.ts';\nconsole.log(x);\n");
  write(root, STAMP, `${JSON.stringify(await sourceFingerprint(root))}\n`);
  assert.equal(buildIsFresh(root, 'idp'), true);
  rmSync(join(root, 'reference/idp/helper.ts'));
  assert.equal(buildIsFresh(root, 'idp'), false, 'a source the build compiled is gone');
  process.env.SANTOKIT_IT_FROM_SOURCE = '1';
  t.after(() => delete process.env.SANTOKIT_IT_FROM_SOURCE);
  assert.equal(buildIsFresh(root, 'runner'), false);
});
