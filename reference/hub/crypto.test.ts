import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashRandomSecret, hashSecret, verifySecret } from './crypto.ts';

test('passwords are scrypt-hashed with a salt, random secrets SHA-256-hashed; both verify only the right secret', async () => {
  const password = await hashSecret('correct horse');
  assert.match(password, /^scrypt\$[\w-]+\$[\w-]+$/);
  assert.notEqual(await hashSecret('correct horse'), password, 'a fresh salt each time');
  assert.equal(await verifySecret('correct horse', password), true);
  assert.equal(await verifySecret('correct horsE', password), false);

  const key = hashRandomSecret('s3cr3t-random-bytes');
  assert.match(key, /^sha256\$[\w-]{43}$/);
  assert.ok(!key.includes('s3cr3t'));
  assert.equal(await verifySecret('s3cr3t-random-bytes', key), true);
  assert.equal(await verifySecret('s3cr3t-random-byteS', key), false);
  assert.equal(await verifySecret('anything', 'plain$text'), false);
  assert.equal(await verifySecret('anything', 'sha256$'), false);
});
