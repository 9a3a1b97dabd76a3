import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, readConfig } from './config.ts';

const BASE = {
  STK_HUB_DB_URL: 'postgres://hub@127.0.0.1:5432/hub',
  STK_PASETO_KEYS: 'k1:paseto-secret-for-tests-0001',
  STK_SECRET_KEY: 'seal-key-for-tests-0001',
  STK_SERVICE_TOKEN: 'svc-token-for-tests-0001',
};

test('password hashes cost 14 unless STK_HUB_PASSWORD_COST says otherwise', () => {
  assert.equal(readConfig(BASE).passwordCost, 14);
  assert.equal(readConfig({ ...BASE, STK_HUB_PASSWORD_COST: '' }).passwordCost, 14);
  assert.equal(readConfig({ ...BASE, STK_HUB_PASSWORD_COST: '16' }).passwordCost, 16);
});

test('a cost below 14 needs test mode; none goes below 10 or above 17', () => {
  assert.throws(
    () => readConfig({ ...BASE, STK_HUB_PASSWORD_COST: '10' }),
    (error: unknown) =>
      error instanceof ConfigError &&
      /'10' must be a whole number from 14 \(10 with STK_HUB_TEST_MODE=1\)/.test(error.message),
  );
  assert.equal(readConfig({ ...BASE, STK_HUB_TEST_MODE: '1', STK_HUB_PASSWORD_COST: '10' }).passwordCost, 10);
  for (const value of ['9', '18', '12.5', 'cheap']) {
    assert.throws(
      () => readConfig({ ...BASE, STK_HUB_TEST_MODE: '1', STK_HUB_PASSWORD_COST: value }),
      ConfigError,
      `cost '${value}'`,
    );
  }
});
