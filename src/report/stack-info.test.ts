import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StackHandles } from '../stack/types.ts';
import { formatStackInfoJson, formatStackInfoText } from './stack-info.ts';

function stack(idp?: StackHandles['idp']): StackHandles {
  return {
    kind: 'embedded',
    hubUrl: 'http://127.0.0.1:1',
    bridgeUrl: 'http://127.0.0.1:2',
    adminDatabaseUrl: 'postgres://u:p@127.0.0.1:3/postgres',
    runnerDatabaseUrl: (name) => name,
    serviceDatabaseUrl: (name) => name,
    stk: {
      argv: ['node', '/x/stk.js'],
      run: () => Promise.reject(new Error('unused')),
      command: () => {
        throw new Error('unused');
      },
    },
    operator: { email: 'owner@example.com', password: 'password' },
    logTails: () => [],
    ...(idp ? { idp } : {}),
  };
}

test('stack info names the idp when the stack has one, in text and in the JSON line', () => {
  const withIdp = stack({ url: 'http://127.0.0.1:4', issuer: 'http://idp:4100' });
  assert.deepEqual(JSON.parse(formatStackInfoJson(withIdp)).idp, {
    url: 'http://127.0.0.1:4',
    issuer: 'http://idp:4100',
  });
  assert.match(formatStackInfoText(withIdp), /^ {2}idp {6}http:\/\/127\.0\.0\.1:4 \(issuer http:\/\/idp:4100\)$/m);
  const without = stack();
  assert.equal('idp' in JSON.parse(formatStackInfoJson(without)), false);
  assert.doesNotMatch(formatStackInfoText(without), /idp/);
  assert.equal(formatStackInfoJson(without).split('\n').length, 2, 'exactly one JSON line');
});

test('stack info names the object store and, under compose, the origin URLs are signed for', () => {
  const withStore: StackHandles = {
    ...stack(),
    objectStore: { url: 'http://127.0.0.1:5', endpoint: 'http://objectstore:4200' },
  };
  assert.deepEqual(JSON.parse(formatStackInfoJson(withStore)).objectStore, {
    url: 'http://127.0.0.1:5',
    endpoint: 'http://objectstore:4200',
  });
  assert.match(
    formatStackInfoText(withStore),
    /^ {2}objects {2}http:\/\/127\.0\.0\.1:5 \(signed for http:\/\/objectstore:4200\)$/m,
  );
  assert.equal('objectStore' in JSON.parse(formatStackInfoJson(stack())), false);
});
