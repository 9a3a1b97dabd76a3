import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isScenarioDatabase } from './run-databases.ts';

describe('isScenarioDatabase', () => {
  it("lets a warm stack's owner drop a scenario's database and nothing of the stack's own", () => {
    for (const name of ['stk_crud_abc1_dev', 'warm_x1', 'santokit_hubx']) assert.equal(isScenarioDatabase(name), true);
    for (const name of ['santokit_hub', 'santokit_hub_ab12cd34', 'postgres', 'template0', 'template1'])
      assert.equal(isScenarioDatabase(name), false, name);
    for (const name of ['Stk', 'a"b', 'a b', '', 'x'.repeat(64)]) assert.equal(isScenarioDatabase(name), false, name);
  });
});
