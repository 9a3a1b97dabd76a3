import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidLogicFile, parseLogicFile } from './logic-file.ts';

const refusal = (text: string) => {
  try {
    parseLogicFile(text);
  } catch (error) {
    assert.ok(error instanceof InvalidLogicFile);
    return error.message;
  }
  return 'accepted';
};

test('params with no value (YAML null) is no params, and the logic keeps its auth and SQL', () => {
  assert.deepEqual(parseLogicFile('---\nauth: public\nparams:\n---\nSELECT 1'), {
    auth: 'public',
    params: [],
    sql: 'SELECT 1',
  });
  assert.deepEqual(parseLogicFile('---\nparams: ~\n---\nSELECT 2').params, []);
  assert.equal(refusal('---\nparams: [a]\n---\nSELECT 1'), 'params must be a mapping');
  assert.equal(refusal('---\nparams: x\n---\nSELECT 1'), 'params must be a mapping');
  assert.equal(refusal('---\nparams:\n  a:\n---\nSELECT :a'), 'params.a must be a mapping');
});

test('declared params keep their order, type, required flag and default', () => {
  const file = parseLogicFile(
    '---\nparams:\n  b: { type: int, default: 3 }\n  a: { required: true }\n---\nSELECT :a, :b',
  );
  assert.deepEqual(file.params, [
    { name: 'b', type: 'int', required: false, hasDefault: true, default: 3 },
    { name: 'a', required: true, hasDefault: false },
  ]);
});

test('front-matter opens only on a first --- line and must close', () => {
  assert.equal(refusal('---\nSELECT 1 AS one'), 'front-matter has no closing ---');
  assert.deepEqual(parseLogicFile('SELECT 1\n---\n'), { auth: 'authenticated', params: [], sql: 'SELECT 1\n---' });
  assert.deepEqual(parseLogicFile('---\n---\n SELECT 3 '), { auth: 'authenticated', params: [], sql: 'SELECT 3' });
});

test('auth, roles and condition', () => {
  assert.deepEqual(parseLogicFile('---\nauth: { roles: [admin] }\ncondition: "true"\n---\nSELECT 4'), {
    auth: 'authenticated',
    roles: ['admin'],
    params: [],
    condition: 'true',
    sql: 'SELECT 4',
  });
  assert.equal(refusal('---\nauth: everyone\n---\nSELECT 1'), 'auth must be public or authenticated');
  assert.equal(refusal('---\nroles: admin\n---\nSELECT 1'), 'roles must be a list of role names');
  assert.equal(refusal('---\ncondition: 3\n---\nSELECT 1'), 'condition must be a string');
  assert.equal(refusal('---\nauth: [\n---\nSELECT 1'), 'front-matter is not valid YAML');
  assert.equal(refusal('---\n- a\n---\nSELECT 1'), 'front-matter must be a mapping');
});
