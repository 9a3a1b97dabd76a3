import assert from 'node:assert/strict';
import {
  adminCaller,
  bootstrapProject,
  defineScenario,
  expectAffected,
  expectEnvelope,
  expectRows,
} from '../kit/index.ts';
import type { ScenarioContext } from '../kit/index.ts';

/** Items a1, a2 owned by o1 and b1 owned by o2. */
async function seeded(ctx: ScenarioContext) {
  const target = await bootstrapProject(ctx, 'logics_call', { prefix: 'params' });
  const admin = await adminCaller(ctx, target);
  for (const [name, owner] of [
    ['a1', 'o1'],
    ['a2', 'o1'],
    ['b1', 'o2'],
  ])
    expectAffected(await ctx.bridge.call('logics/insert_item', { name, owner_id: owner }, admin), 1);
  const count = async () =>
    (await ctx.db.query<{ n: number }>(target.database.name, 'SELECT count(*)::int AS n FROM items'))[0]?.n;
  return { ...target, admin, count };
}

export const boundParams = defineScenario(
  'LOGICS-004',
  'required params are bound as values: matching rows only, injection text is inert',
  async (ctx) => {
    const { admin, count } = await seeded(ctx);
    const names = (owner: string) =>
      ctx.bridge
        .call('logics/get_items', { owner_id: owner }, admin)
        .then((response) => expectRows<{ name: string; owner_id: string }>(response));
    const own = await names('o1');
    assert.deepEqual(
      own.map((row) => [row.name, row.owner_id]),
      [
        ['a1', 'o1'],
        ['a2', 'o1'],
      ],
    );
    assert.deepEqual(await names('nobody'), []);
    for (const payload of ["' OR '1'='1", "o1'; DELETE FROM items; --"]) {
      assert.deepEqual(await names(payload), [], `inert: ${payload}`);
      assert.equal(await count(), 3, `the table still has three rows after ${payload}`);
    }
  },
);

export const paramRefusals = defineScenario(
  'LOGICS-004',
  'missing, ill-typed, unknown and non-object params are refused, after auth',
  async (ctx) => {
    const { project, env, admin, count } = await seeded(ctx);
    const cases = [
      ['no params', undefined, 'missing required param: owner_id'],
      ['params null, read as no params', null, 'missing required param: owner_id'],
      ['a number', { owner_id: 123 }, 'invalid type for param: owner_id'],
      ['null', { owner_id: null }, 'invalid type for param: owner_id'],
      ['an array', ['o1'], 'params must be an object'],
      ['an extra param', { owner_id: 'o1', extra: 1 }, 'unknown param: extra'],
    ] as const;
    for (const [what, params, message] of cases) {
      const error = expectEnvelope(await ctx.bridge.call('logics/get_items', params, admin), {
        what,
        status: 400,
        code: 'BAD_REQUEST',
      });
      assert.equal(error.message, message, what);
    }
    expectEnvelope(await ctx.bridge.call('logics/get_items', undefined, { project, env }), {
      what: 'no params, no credential',
      status: 401,
      code: 'UNAUTHORIZED',
    });
    assert.equal(await count(), 3);
  },
);

export const typedAndScanned = defineScenario(
  'LOGICS-004',
  'values keep their declared type; placeholders in quotes, comments and dollar-quoted text stay as written',
  async (ctx) => {
    const { admin, count } = await seeded(ctx);
    const typed = (params: Record<string, unknown>) => ctx.bridge.call('logics/typed_params', params, admin);
    const given = { ratio: 1.5, flag: true, enabled: false, note: 'n' };
    assert.deepEqual(expectRows(await typed(given)), [given], 'float as a number, boolean and bool as booleans');
    assert.deepEqual(expectRows(await typed({ ...given, ratio: 2, flag: false, enabled: true })), [
      { ...given, ratio: 2, flag: false, enabled: true },
    ]);
    const wrong = [
      ['ratio', 'x'],
      ['flag', 1],
      ['flag', 'true'],
      ['enabled', 0],
    ] as const;
    for (const [name, value] of wrong) {
      const what = `${name}: ${JSON.stringify(value)}`;
      const error = expectEnvelope(await typed({ ...given, [name]: value }), {
        what,
        status: 400,
        code: 'BAD_REQUEST',
      });
      assert.equal(error.message, `invalid type for param: ${name}`, what);
    }
    // project-files.md: text inside quotes (PostgreSQL's dollar quotes too) and comments is not scanned.
    assert.deepEqual(expectRows(await ctx.bridge.call('logics/placeholder_scan', { word: 'w' }, admin)), [
      {
        bound: 'w',
        quoted: ':word',
        doubled: "it's :word",
        ':word': 1,
        dollar: ':word',
        tagged: ' :word',
        slice: ['b', 'c'],
        again: 'w',
      },
    ]);
    assert.equal(await count(), 3);
  },
);
