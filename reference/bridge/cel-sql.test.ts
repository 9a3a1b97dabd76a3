/** CEL conditions → SQL predicates, gates, and the constructs that must be refused. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HttpError } from '../shared/http-error.ts';
import { checkInsertCondition, conditionSql } from './conditions.ts';
import { checkLogicCondition } from './logic-condition.ts';
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
  assert.throws(
    run,
    (error: unknown) => error instanceof HttpError && error.code === code && message.test(error.message),
  );
}

describe('CEL conditions', () => {
  test('one resource equality becomes a bound predicate, on either side of ==', () => {
    assert.deepEqual(sql('resource.owner == request.auth.sub'), { text: ['"owner" = $1::text'], values: ['alice'] });
    assert.deepEqual(sql("'x' == resource.owner"), { text: ['"owner" = $1::text'], values: ['x'] });
    assert.deepEqual(sql('resource.level == -3'), { text: ['"level" = $1::bigint'], values: ['-3'] });
    assert.deepEqual(sql('resource.active == false'), { text: ['"active" = $1::boolean'], values: [false] });
    assert.deepEqual(
      sql('resource.id == request.auth.sub'),
      { text: ['"id"::text = $1::text'], values: ['alice'] },
      'uuid column compared as text',
    );
  });

  test('combined terms, request-only gates and text that is not CEL are unsupported in a permission rule', () => {
    for (const condition of [
      "'x' == resource.owner && resource.level == -3",
      '"reader" in request.auth.roles',
      'request.auth.sub == "alice"',
      'true',
      'resource.owner = "x"',
      'resource.owner ==',
    ]) {
      refused(() => sql(condition), 'BAD_REQUEST', /unsupported/i);
    }
  });

  test('everything else that mentions resource is unsupported, never allowed', () => {
    for (const condition of [
      'resource.owner != "x"',
      'resource.level > 1',
      'resource.level <= 1',
      'resource.owner in ["a"]',
      'resource.owner.startsWith("a")',
      'size(resource.owner) == 1',
      'resource.owner == "a" || resource.owner == "b"',
      '!(resource.owner == "a")',
      'resource.owner == resource.id',
      'resource.owner == "a" && "reader" in request.auth.roles',
      'resource["owner"] == "a"',
      'resource.level == 1.5',
      'resource.owner == null',
      'resource.level == 1 ? true : false',
      'resource == "a"',
      'resource.owner == request.auth.roles',
    ]) {
      refused(() => sql(condition), 'BAD_REQUEST', /unsupported/i);
    }
    refused(() => sql('resource.nosuch == "a"'), 'BAD_REQUEST', /unsupported.*nosuch/);
    refused(() => sql('resource.level == "3"'), 'BAD_REQUEST', /'level'/);
    refused(() => sql('resource.owner == 3'), 'BAD_REQUEST', /'owner'/);
    refused(() => sql('resource.active == request.auth.sub'), 'BAD_REQUEST', /'active'/);
  });

  test('insert checks the written values against the term', () => {
    const rule = { roles: ['x'], condition: 'resource.owner == request.auth.sub' };
    checkInsertCondition(rule, table, alice, { owner: 'alice', level: 3 });
    refused(
      () => checkInsertCondition(rule, table, alice, { owner: 'bob', level: 3 }),
      'FORBIDDEN',
      /condition failed/,
    );
    refused(() => checkInsertCondition(rule, table, alice, { level: 3 }), 'FORBIDDEN', /condition failed/);
  });

  test('logic conditions see params and the caller, are type-checked when called, and may not use resource', () => {
    checkLogicCondition('request.params.owner == request.auth.sub', alice, { owner: 'alice' });
    checkLogicCondition('"reader" in request.auth.roles', alice, {});
    refused(
      () => checkLogicCondition('request.params.owner == request.auth.sub', alice, { owner: 'bob' }),
      'FORBIDDEN',
      /condition failed/,
    );
    refused(() => checkLogicCondition('"admin" in request.auth.roles', alice, {}), 'FORBIDDEN', /condition failed/);
    refused(() => checkLogicCondition('resource.owner == request.auth.sub', alice, {}), 'BAD_REQUEST', /unsupported/);
    refused(
      () => checkLogicCondition('request.params.owner = request.auth.sub', alice, {}),
      'BAD_REQUEST',
      /not valid CEL/,
    );
    refused(() => checkLogicCondition('request.auth.roles == "authenticated"', alice, {}), 'BAD_REQUEST', /type-check/);
    refused(() => checkLogicCondition('request.auth.sub', alice, {}), 'BAD_REQUEST', /boolean/);
    refused(
      () => checkLogicCondition('request.params.count > request.auth.sub', alice, { count: 1 }),
      'BAD_REQUEST',
      /could not be evaluated/,
    );
    refused(
      () => checkLogicCondition('request.params.missing == "x"', alice, {}),
      'BAD_REQUEST',
      /could not be evaluated/,
    );
    refused(() => checkLogicCondition('nobody == "x"', alice, {}), 'BAD_REQUEST', /type-check/);
  });
});
