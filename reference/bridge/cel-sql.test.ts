/** CEL conditions → SQL predicates, gates, and the constructs that must be refused. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HttpError } from '../shared/http-error.ts';
import { checkInsertCondition, checkLogicCondition, conditionSql } from './conditions.ts';
import type { Caller } from './credentials.ts';
import type { Table } from './model.ts';
import { Params } from './sql.ts';

const table: Table = {
  name: 't',
  connection: 'main',
  id: { name: 'id', generate: 'uuid_v4' },
  columns: new Map([
    ['id', { type: 'uuid', nullable: false, hasDefault: false }],
    ['owner', { type: 'string', nullable: false, hasDefault: false }],
    ['level', { type: 'int', nullable: true, hasDefault: false }],
    ['active', { type: 'boolean', nullable: true, hasDefault: false }],
  ]),
};
const alice: Caller = { project: 'p', env: 'dev', roles: ['authenticated', 'reader'], sub: 'alice', kind: 'bearer' };

function sql(condition: string): { text: string[]; values: unknown[] } {
  const params = new Params();
  return { text: conditionSql({ roles: ['x'], condition }, table, alice, params), values: params.values };
}

function refused(run: () => unknown, code: string, message: RegExp): void {
  assert.throws(run, (error: unknown) => error instanceof HttpError && error.code === code && message.test(error.message));
}

describe('CEL conditions', () => {
  test('resource equalities become bound predicates, on either side, joined by &&', () => {
    assert.deepEqual(sql('resource.owner == request.auth.sub'), { text: ['"owner" = $1::text'], values: ['alice'] });
    assert.deepEqual(sql("'x' == resource.owner && resource.level == -3 && resource.active == false"), {
      text: ['"owner" = $1::text', '"level" = $2::bigint', '"active" = $3::boolean'],
      values: ['x', '-3', false],
    });
    assert.deepEqual(sql('resource.id == request.auth.sub'), { text: ['"id"::text = $1::text'], values: ['alice'] }, 'uuid column compared as text');
  });

  test('gates are evaluated per request; false is 403, non-boolean or error is 400', () => {
    assert.deepEqual(sql('"reader" in request.auth.roles'), { text: [], values: [] });
    refused(() => sql('"admin" in request.auth.roles'), 'FORBIDDEN', /^condition failed$/);
    refused(() => sql('request.auth.sub'), 'BAD_REQUEST', /boolean/);
    refused(() => sql('request.auth.sub > 3'), 'BAD_REQUEST', /could not be evaluated/);
  });

  test('everything else that mentions resource is unsupported, never allowed', () => {
    for (const condition of [
      'resource.owner != "x"', 'resource.level > 1', 'resource.level <= 1', 'resource.owner in ["a"]', 'resource.owner.startsWith("a")',
      'size(resource.owner) == 1', 'resource.owner == "a" || resource.owner == "b"', '!(resource.owner == "a")', 'resource.owner == resource.id',
      'resource.owner == "a" && "reader" in request.auth.roles', 'resource["owner"] == "a"', 'resource.level == 1.5', 'resource.owner == null',
      'resource.level == 1 ? true : false', 'resource == "a"', 'resource.owner == request.auth.roles',
    ]) {
      refused(() => sql(condition), 'BAD_REQUEST', /unsupported/i);
    }
    refused(() => sql('resource.nosuch == "a"'), 'BAD_REQUEST', /unsupported.*nosuch/);
    refused(() => sql('resource.level == "3"'), 'BAD_REQUEST', /'level'/);
    refused(() => sql('resource.owner == 3'), 'BAD_REQUEST', /'owner'/);
    refused(() => sql('resource.active == request.auth.sub'), 'BAD_REQUEST', /'active'/);
  });

  test('insert checks the written values against every term', () => {
    const rule = { roles: ['x'], condition: 'resource.owner == request.auth.sub && resource.level == 3' };
    checkInsertCondition(rule, table, alice, { owner: 'alice', level: 3 });
    refused(() => checkInsertCondition(rule, table, alice, { owner: 'bob', level: 3 }), 'FORBIDDEN', /condition failed/);
    refused(() => checkInsertCondition(rule, table, alice, { owner: 'alice', level: 4 }), 'FORBIDDEN', /condition failed/);
    refused(() => checkInsertCondition(rule, table, alice, { owner: 'alice' }), 'FORBIDDEN', /condition failed/);
  });

  test('logic conditions see params, and may not use resource', () => {
    checkLogicCondition('request.params.owner == request.auth.sub', alice, { owner: 'alice' });
    refused(() => checkLogicCondition('request.params.owner == request.auth.sub', alice, { owner: 'bob' }), 'FORBIDDEN', /condition failed/);
    refused(() => checkLogicCondition('resource.owner == request.auth.sub', alice, {}), 'BAD_REQUEST', /unsupported/);
    refused(() => checkLogicCondition('request.params.owner =', alice, {}), 'BAD_REQUEST', /unsupported|valid/);
  });
});
