import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashRandomSecret, hashSecret, unknownAccountHash, verifySecret } from './crypto.ts';

test('passwords are scrypt-hashed with a salt, random secrets SHA-256-hashed; both verify only the right secret', async () => {
  const password = await hashSecret('correct horse');
  assert.match(password, /^scrypt\$14\$[\w-]+\$[\w-]+$/);
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

test('a password hash keeps the cost it was made with', async () => {
  const cheap = await hashSecret('correct horse', 10);
  assert.match(cheap, /^scrypt\$10\$/);
  assert.equal(await verifySecret('correct horse', cheap), true);
  assert.equal(await verifySecret('correct horsE', cheap), false);
  const [, , salt, hash] = cheap.split('$');
  assert.equal(await verifySecret('correct horse', `scrypt$11$${salt}$${hash}`), false, 'the cost is part of the hash');
  assert.equal(await verifySecret('correct horse', `scrypt$${salt}$${hash}`), false, 'no cost: not a hash of ours');
});

test('the unknown-account hash has the configured cost and matches no password', async () => {
  assert.match(unknownAccountHash(10), /^scrypt\$10\$[\w-]{22}\$[\w-]{43}$/);
  assert.match(unknownAccountHash(14), /^scrypt\$14\$/);
  assert.equal(await verifySecret('', unknownAccountHash(10)), false);
});
