import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpError } from '../../shared/http-error.ts';
import { parseLogics, placeholderNames } from './parse-logics.ts';

/** `accepted`, or the code and `details` of the refusal of one logic named `probe`. */
const verdict = (text: string) => {
  try {
    parseLogics({ probe: text });
  } catch (error) {
    assert.ok(error instanceof HttpError);
    return `${error.code} ${String(error.details?.file)} ${String(error.details?.path)}`;
  }
  return 'accepted';
};

const REFUSED_FRONT = 'SCHEMA_VALIDATION_FAILED logics/probe.sql (front-matter)';

test('a first --- line with no closing --- line is refused, whatever follows it', () => {
  assert.equal(verdict('---\nSELECT 1 AS one'), REFUSED_FRONT);
  assert.equal(verdict('---\nauth: public\nSELECT 1'), REFUSED_FRONT);
  assert.equal(verdict('---\r\nauth: public\r\n'), REFUSED_FRONT);
  assert.equal(verdict('---'), REFUSED_FRONT);
});

test('a closed block, or none at all, is read as front-matter then SQL', () => {
  assert.equal(verdict('SELECT 1 AS one'), 'accepted');
  assert.equal(verdict('SELECT 1 AS one\n---\n'), 'accepted', 'a --- that is not the first line opens nothing');
  assert.equal(verdict('---\n---\nSELECT 1'), 'accepted', 'an empty block');
  assert.equal(verdict('  ---  \nauth: public\n  ---\nSELECT 1'), 'accepted', 'the lines are trimmed');
  assert.equal(verdict('---\nauth: public\n---\n'), 'SCHEMA_VALIDATION_FAILED logics/probe.sql (sql)');
});

test('params with no value (YAML null) is no params; any other non-mapping is refused', () => {
  assert.equal(verdict('---\nauth: public\nparams:\n---\nSELECT 1'), 'accepted');
  assert.equal(verdict('---\nparams: ~\n---\nSELECT 1'), 'accepted');
  assert.equal(
    verdict('---\nparams:\n---\nSELECT :x'),
    'SCHEMA_VALIDATION_FAILED logics/probe.sql (sql)',
    'a null params declares nothing to bind',
  );
  assert.equal(verdict('---\nparams: [a]\n---\nSELECT 1'), 'SCHEMA_VALIDATION_FAILED logics/probe.sql params');
  assert.equal(verdict('---\nparams: x\n---\nSELECT 1'), 'SCHEMA_VALIDATION_FAILED logics/probe.sql params');
  assert.equal(verdict('---\nparams:\n  a:\n---\nSELECT :a'), 'SCHEMA_VALIDATION_FAILED logics/probe.sql params.a');
});

test('front-matter shape: auth, roles, condition and param types', () => {
  assert.equal(verdict('---\nauth: everyone\n---\nSELECT 1'), 'SCHEMA_VALIDATION_FAILED logics/probe.sql auth');
  assert.equal(verdict('---\nroles: admin\n---\nSELECT 1'), 'SCHEMA_VALIDATION_FAILED logics/probe.sql roles');
  assert.equal(verdict('---\ncondition: 3\n---\nSELECT 1'), 'SCHEMA_VALIDATION_FAILED logics/probe.sql condition');
  assert.equal(
    verdict('---\nparams:\n  a: { type: uuidish }\n---\nSELECT :a'),
    'SCHEMA_VALIDATION_FAILED logics/probe.sql params.a.type',
  );
  assert.equal(verdict('---\n- a\n---\nSELECT 1'), REFUSED_FRONT);
  assert.equal(verdict('---\nauth: [\n---\nSELECT 1'), REFUSED_FRONT);
  assert.equal(verdict('---\nauth: { roles: [admin] }\n---\nSELECT :auth.sub'), 'accepted');
});

test('placeholders skip casts, quotes and comments', () => {
  assert.deepEqual(placeholderNames('SELECT :a::int, \':b\', "c:d", :auth.sub -- :e\n/* :f */'), ['a', 'auth.sub']);
  assert.deepEqual(placeholderNames('SELECT $$:g$$, $body$ :h $$ $body$, :i'), ['i']);
});
