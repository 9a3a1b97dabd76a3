import assert from 'node:assert/strict';
import {
  bootstrapProject,
  createApiKey,
  defineScenario,
  refusedCallers,
  expectAffected,
  expectError,
  expectInvalidColumn,
  expectNoData,
  expectRow,
  expectRefused,
  expectRows,
  expectUpdated,
} from '../kit/index.ts';
import type { BootstrappedProject, Credentials, HttpResponse, ScenarioContext } from '../kit/index.ts';

type Stored = { id: string; email: string; name: string | null };

interface Seeded extends BootstrappedProject {
  readonly admin: Credentials;
  /** Ids of u1@x.io, u2@x.io, u3@x.io. */
  readonly ids: readonly [string, string, string];
  /** `db/users/update` and `db/users/delete` as the admin. */
  readonly update: (params: unknown) => Promise<HttpResponse>;
  readonly remove: (params: unknown) => Promise<HttpResponse>;
  /** The users table as PostgreSQL has it, by email. */
  readonly stored: () => Promise<Stored[]>;
}

/** `basic` with an admin key and three users inserted through `/call`. */
async function seed(ctx: ScenarioContext): Promise<Seeded> {
  const bootstrapped = await bootstrapProject(ctx, 'basic');
  const admin: Credentials = {
    apiKey: await createApiKey(ctx, bootstrapped.project, bootstrapped.env),
    project: bootstrapped.project,
    env: bootstrapped.env,
  };
  const ids: string[] = [];
  for (const email of ['u1@x.io', 'u2@x.io', 'u3@x.io']) {
    ids.push(expectRow<{ id: string }>(await ctx.bridge.call('db/users/insert', { values: { email } }, admin)).id);
  }
  return {
    ...bootstrapped,
    admin,
    ids: ids as unknown as Seeded['ids'],
    update: (params) => ctx.bridge.call('db/users/update', params, admin),
    remove: (params) => ctx.bridge.call('db/users/delete', params, admin),
    stored: () => ctx.db.query<Stored>(bootstrapped.database.name, 'SELECT id, email, name FROM users ORDER BY email'),
  };
}

export const updateRows = defineScenario(
  'CRUD-002',
  'update reports the rows it changed and changes only those',
  async (ctx) => {
    const {
      admin,
      ids: [u1, u2, u3],
      update,
      stored,
    } = await seed(ctx);
    const named = expectUpdated<Stored>(await update({ where: { id: u1 }, data: { name: 'Una' } }), 1);
    assert.deepEqual(
      named.map((row) => [row.id, row.email, row.name]),
      [[u1, 'u1@x.io', 'Una']],
      'the changed row as it now is',
    );
    const selected = expectRows<Stored>(await ctx.bridge.call('db/users/select', { where: { id: u1 } }, admin));
    assert.equal(selected[0]?.name, 'Una');
    assert.deepEqual(await stored(), [
      { id: u1, email: 'u1@x.io', name: 'Una' },
      { id: u2, email: 'u2@x.io', name: null },
      { id: u3, email: 'u3@x.io', name: null },
    ]);

    const nothing = await update({ where: { email: 'nobody@x.io' }, data: { name: 'x' } });
    expectUpdated(nothing, 0);
    assert.deepEqual(nothing.json, { data: [] });
    expectUpdated(await update({ where: { name: null }, data: { name: 'n' } }), 2);
    assert.deepEqual(
      (await stored()).map((row) => row.name),
      ['Una', 'n', 'n'],
    );
    expectUpdated(await update({ where: { email: { $ne: 'u1@x.io' } }, data: { name: 'others' } }), 2);
    assert.deepEqual(
      (await stored()).map((row) => row.name),
      ['Una', 'others', 'others'],
    );
  },
);

export const deleteRows = defineScenario(
  'CRUD-002',
  'delete reports the rows it removed and removes only those',
  async (ctx) => {
    const {
      admin,
      ids: [u1],
      remove,
      stored,
    } = await seed(ctx);
    const removed = await remove({ where: { email: { $in: ['u2@x.io', 'u3@x.io'] } } });
    expectAffected(removed, 2);
    assert.deepEqual(removed.json, { data: { affected: 2 } });
    for (const email of ['u2@x.io', 'u3@x.io']) {
      assert.deepEqual(expectRows(await ctx.bridge.call('db/users/select', { where: { email } }, admin)), []);
    }
    assert.deepEqual(
      (await stored()).map((row) => row.id),
      [u1],
      'one row left',
    );
    expectAffected(await remove({ where: { email: 'nobody@x.io' } }), 0);
    expectAffected(await remove({ where: { id: u1 } }), 1);
    assert.deepEqual(await stored(), [], 'the table is empty');
  },
);

export const whereGate = defineScenario(
  'CRUD-002',
  'the where gate and bad updates refuse and change nothing',
  async (ctx) => {
    const {
      ids: [u1],
      update,
      remove,
      stored,
    } = await seed(ctx);
    const before = await stored();

    const noWhere = await update({ data: { name: 'x' } });
    assert.equal(expectError(noWhere, 400, 'BAD_REQUEST').message, 'update requires a non-empty where');
    expectNoData(noWhere);
    expectError(await update({ where: {}, data: { name: 'x' } }), 400, 'BAD_REQUEST');
    expectError(await update({ where: '1=1', data: { name: 'x' } }), 400, 'BAD_REQUEST');
    expectError(await update({ where: [{ id: u1 }], data: { name: 'x' } }), 400, 'BAD_REQUEST');
    assert.equal(expectError(await remove({}), 400, 'BAD_REQUEST').message, 'delete requires a non-empty where');
    assert.equal(expectError(await remove(undefined), 400, 'BAD_REQUEST').message, 'delete requires a non-empty where');
    expectError(await remove({ where: {} }), 400, 'BAD_REQUEST');
    expectError(await remove({ where: 'true' }), 400, 'BAD_REQUEST');
    assert.deepEqual(await stored(), before, 'the gate left every row as it was');

    expectError(await update({ where: { id: u1 } }), 400, 'BAD_REQUEST');
    expectError(await update({ where: { id: u1 }, data: {} }), 400, 'BAD_REQUEST');
    expectError(await update({ where: { id: u1 }, data: { id: 'other' } }), 400, 'BAD_REQUEST');
    expectInvalidColumn(await update({ where: { id: u1 }, data: { shoe_size: 1 } }), 'shoe_size');
    expectInvalidColumn(await update({ where: { id: u1 }, data: { email: 42 } }), 'email');
    expectInvalidColumn(await update({ where: { shoe_size: 1 }, data: { name: 'x' } }), 'shoe_size');
    expectInvalidColumn(await remove({ where: { shoe_size: 1 } }), 'shoe_size');
    const conflict = await update({ where: { id: u1 }, data: { email: 'u2@x.io' } });
    expectError(conflict, 409, 'CONFLICT');
    assert.ok(!/update\s+"?users|set\s+"?email/i.test(conflict.text), 'no SQL text in the conflict');
    expectError(await update({ where: { email: { $regex: 'u' } }, data: { name: 'x' } }), 400, 'BAD_REQUEST');
    expectError(await remove({ where: { email: { $regex: 'u' } } }), 400, 'BAD_REQUEST');
    assert.deepEqual(await stored(), before, 'no refused update changed a row (u1 keeps its id and email)');
  },
);

export const writeRights = defineScenario(
  'CRUD-002',
  'callers without a write rule are refused before the gate',
  async (ctx) => {
    const {
      project,
      env,
      ids: [u1],
      stored,
    } = await seed(ctx);
    const before = await stored();
    // A reader key (may select, has no write rule) and no credential at all.
    const callers = await refusedCallers(ctx, project, env);
    assert.equal(
      expectRows(await ctx.bridge.call('db/users/select', {}, callers.keyed)).length,
      3,
      'reader may select',
    );
    for (const [path, params] of [
      ['db/users/update', { where: { id: u1 }, data: { name: 'x' } }],
      ['db/users/update', { where: {}, data: { name: 'x' } }],
      ['db/users/update', { data: { name: 'x' } }],
      ['db/users/delete', { where: { id: u1 } }],
      ['db/users/delete', { where: {} }],
      ['db/users/delete', {}],
    ] as const) {
      await expectRefused(ctx, callers, path, params);
    }
    assert.deepEqual(await stored(), before, 'nothing changed');
  },
);
