import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePasetoKeys } from './paseto-keys.ts';

const SECRET = 'sixteen-chars-ok';

test('entries keep their order, the first one signing; spaces around entries and key ids are dropped', () => {
  assert.deepEqual(parsePasetoKeys(`knew:${SECRET}X, kold :${SECRET}`), [
    { kid: 'knew', secret: `${SECRET}X` },
    { kid: 'kold', secret: SECRET },
  ]);
});

test('empty entries are skipped: a trailing comma or a doubled one is not a key', () => {
  assert.deepEqual(parsePasetoKeys(`k1:${SECRET},, ,`), [{ kid: 'k1', secret: SECRET }]);
});

test('a secret may hold colons; only the first one separates the key id', () => {
  assert.deepEqual(parsePasetoKeys(`k1:a:b:${SECRET}`), [{ kid: 'k1', secret: `a:b:${SECRET}` }]);
});

test('a secret of exactly 16 characters is accepted and one of 15 refused, naming the key id', () => {
  assert.equal(parsePasetoKeys(`k1:${SECRET}`)[0]?.secret.length, 16);
  assert.throws(() => parsePasetoKeys(`k1:${SECRET.slice(1)}`), /entry 'k1' needs a secret of at least 16 characters/);
});

test('an empty or blank list is refused', () => {
  for (const value of [undefined, '', ' , ,'])
    assert.throws(() => parsePasetoKeys(value), /STK_PASETO_KEYS is empty/, String(value));
});

test('an entry without a key id is refused without echoing its text, which may be the secret', () => {
  for (const entry of [SECRET, `:${SECRET}`, ` :${SECRET}`]) {
    assert.throws(
      () => parsePasetoKeys(`k1:${SECRET},${entry}`),
      (error: Error) => /without a key id/.test(error.message) && !error.message.includes(SECRET.slice(0, 4)),
      entry,
    );
  }
});

test('a key id listed twice is refused: a token could only ever find the first of its secrets', () => {
  assert.throws(() => parsePasetoKeys(`k1:${SECRET},k1:${SECRET}X`), /key id 'k1' twice/);
});
