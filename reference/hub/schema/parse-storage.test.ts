import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpError } from '../../shared/http-error.ts';
import { parseStorage } from './parse-storage.ts';

const refusal = (text: string) => {
  try {
    parseStorage(text);
  } catch (error) {
    assert.ok(error instanceof HttpError);
    return `${error.code} ${String(error.details?.path)}`;
  }
  return 'accepted';
};

test('policies keep their file order; an absent or empty file is {}', () => {
  const parsed = parseStorage(
    'policies:\n  "z/*":\n    download_sign: { roles: [public] }\n  "a/{id}/*":\n    upload_sign: { roles: [authenticated], maxSize: 5MB, allowedTypes: [image/png], condition: "path.id == request.auth.sub" }\n',
  );
  assert.deepEqual(parsed.policyOrder, ['z/*', 'a/{id}/*']);
  assert.deepEqual(Object.keys(parsed.policies as object), ['z/*', 'a/{id}/*']);
  assert.deepEqual(parseStorage(null), {});
  assert.deepEqual(parseStorage('  \n'), {});
  assert.deepEqual(parseStorage('policies: {}\n'), { policies: {}, policyOrder: [] });
});

test('shape problems name the path: operation, rule key, roles, size, types, pattern, top-level key', () => {
  assert.equal(
    refusal('policies:\n  "a/*":\n    read: { roles: [public] }\n'),
    'SCHEMA_VALIDATION_FAILED policies.a/*.read',
  );
  assert.equal(
    refusal('policies:\n  "a/*":\n    delete: { roles: [public], ttl: 5 }\n'),
    'SCHEMA_VALIDATION_FAILED policies.a/*.delete.ttl',
  );
  assert.equal(
    refusal('policies:\n  "a/*":\n    delete: { roles: [] }\n'),
    'SCHEMA_VALIDATION_FAILED policies.a/*.delete.roles',
  );
  assert.equal(
    refusal('policies:\n  "a/*":\n    upload_sign: { roles: [x], maxSize: lots }\n'),
    'SCHEMA_VALIDATION_FAILED policies.a/*.upload_sign.maxSize',
  );
  assert.equal(
    refusal('policies:\n  "a/*":\n    upload_sign: { roles: [x], allowedTypes: [png] }\n'),
    'SCHEMA_VALIDATION_FAILED policies.a/*.upload_sign.allowedTypes',
  );
  assert.equal(
    refusal('policies:\n  "a/*":\n    download_sign: { roles: [x], maxSize: 1MB }\n'),
    'SCHEMA_VALIDATION_FAILED policies.a/*.download_sign.maxSize',
  );
  assert.equal(refusal('policies:\n  "a//b":\n    delete: { roles: [x] }\n'), 'SCHEMA_VALIDATION_FAILED policies.a//b');
  assert.equal(
    refusal('policies:\n  "a/{id}/{id}":\n    delete: { roles: [x] }\n'),
    'SCHEMA_VALIDATION_FAILED policies.a/{id}/{id}',
  );
  assert.equal(refusal('policy:\n  "a/*": {}\n'), 'SCHEMA_VALIDATION_FAILED policy');
  assert.equal(
    refusal('policies:\n  "a/*":\n    delete: { roles: [x], condition: "path.nope == 1" }\n'),
    'accepted',
    'conditions are judged by the Bridge',
  );
});
