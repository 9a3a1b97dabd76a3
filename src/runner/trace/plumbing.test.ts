import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { UsageError } from '../../errors.ts';
import { plumbingFor, readPlumbing } from './plumbing.ts';

const roots: string[] = [];
after(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

async function rootWith(yaml: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'stk-it-plumbing-'));
  roots.push(root);
  await mkdir(join(root, 'reference', 'hub'), { recursive: true });
  await writeFile(join(root, 'reference', 'hub', 'http.ts'), 'export {};\n');
  await mkdir(join(root, 'plan'), { recursive: true });
  await writeFile(join(root, 'plan', 'trace-plumbing.yaml'), yaml);
  return root;
}

test('entries for every capability, and entries limited with only', async () => {
  const root = await rootWith(`plumbing:
  - path: reference/hub/http.ts
    why: every Hub route parses its body here
  - path: reference/hub/
    only: [AUTH-003]
    why: a vehicle of AUTH-003's scenarios
`);
  const entries = readPlumbing(root);
  assert.deepEqual(plumbingFor(entries, 'CRUD-001'), ['reference/hub/http.ts']);
  assert.deepEqual(plumbingFor(entries, 'AUTH-003'), ['reference/hub/http.ts', 'reference/hub/']);
});

test('a missing default file is an empty list; a missing given file, a missing path or reason is an error with the line', async () => {
  const root = await rootWith('plumbing: []\n');
  assert.deepEqual(readPlumbing(root, 'plan/none.yaml'), []);
  assert.throws(() => readPlumbing(root, 'plan/none.yaml', true), /TRACE_PLUMBING_MISSING/);
  const broken = await rootWith(`plumbing:
  - path: reference/hub/http.ts
    why: fine
  - path: reference/hub/gone.ts
    why: not there
`);
  assert.throws(
    () => readPlumbing(broken),
    (error: unknown) =>
      error instanceof UsageError &&
      /TRACE_PLUMBING_INVALID: plan\/trace-plumbing.yaml:4: .*gone.ts does not exist/.test(error.message),
  );
  const unexplained = await rootWith('plumbing:\n  - path: reference/hub/http.ts\n');
  assert.throws(() => readPlumbing(unexplained), /:2: reference\/hub\/http.ts: say why/);
  const badOnly = await rootWith('plumbing:\n  - path: reference/hub/http.ts\n    why: x\n    only: AUTH-001\n');
  assert.throws(() => readPlumbing(badOnly), /only must be a list/);
});
