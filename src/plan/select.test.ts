import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closest } from '../util/suggest.ts';

test('closest names: typos and substrings, best first', () => {
  assert.deepEqual(closest('AUTH-01', ['AUTH-001', 'AUTH-002', 'CRUD-001']), ['AUTH-001', 'AUTH-002']);
  assert.deepEqual(closest('crd', ['operator', 'auth', 'crud']), ['crud']);
  assert.deepEqual(closest('zzzzzz', ['auth']), []);
});
