import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRedactor } from '../redact/redactor.ts';
import { createStackSecrets, pasetoSecretParts, registerStackSecrets } from './secrets.ts';

describe('createStackSecrets pasetoKeys', () => {
  it('lists two keys with distinct ids, the signing one first, as a rotation is written', () => {
    const { pasetoKeys } = createStackSecrets();
    const match = /^(k[a-z0-9]+n):([A-Za-z0-9]{32}), (k[a-z0-9]+o):([A-Za-z0-9]{16})$/.exec(pasetoKeys);
    assert.ok(match, `unexpected shape of STK_PASETO_KEYS (length ${pasetoKeys.length})`);
    assert.notEqual(match[1], match[3]);
    assert.notEqual(match[2], match[4]);
  });

  it('differs from one stack to the next', () => {
    assert.notEqual(createStackSecrets().pasetoKeys, createStackSecrets().pasetoKeys);
  });
});

describe('pasetoSecretParts', () => {
  it('keeps each secret without its key id or the spaces around it', () => {
    assert.deepEqual(pasetoSecretParts('k2:second-secret-0001, k1:first:secret-0001 '), [
      'second-secret-0001',
      'first:secret-0001',
    ]);
  });
});

describe('registerStackSecrets', () => {
  it('masks the whole key list and each key on its own', () => {
    const secrets = createStackSecrets();
    const redactor = createRedactor();
    registerStackSecrets(redactor, secrets);
    const [newer, older] = pasetoSecretParts(secrets.pasetoKeys);
    const line = redactor.text(`list=${secrets.pasetoKeys} new=${newer ?? ''} old=${older ?? ''}`);
    for (const secret of [newer, older]) {
      assert.ok(secret !== undefined && secret.length >= 16);
      assert.ok(!line.includes(secret), 'a PASETO key was left in the text');
    }
    assert.match(line, /new=\S+/);
  });
});
