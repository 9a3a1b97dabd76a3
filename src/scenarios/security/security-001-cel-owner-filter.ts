import assert from 'node:assert/strict';
import {
  bootstrapProject,
  createApiKey,
  refusedCallers,
  defineScenario,
  expectUpdated,
  expectError,
  expectNoData,
  expectRow,
  expectRefused,
  expectRows,
  expectStatus,
} from '../kit/index.ts';
import type { BootstrappedProject, Credentials, ScenarioContext } from '../kit/index.ts';

interface Owner {
  readonly sub: string;
  readonly as: Credentials;
}

interface Owners extends BootstrappedProject {
  readonly a: Owner;
  readonly b: Owner;
}

type UserRow = { id: string; email: string; name: string | null };
type NoteRow = { id: string; owner_id: string; body: string | null };

/** Signup answers the token and the `sub` the owner conditions compare with. */
async function endUser(ctx: ScenarioContext, project: string, env: string): Promise<Owner> {
  const email = `${ctx.uniqueName('owner')}@example.com`;
  const signedUp = await ctx.hub.post('/api/endusers/signup', {
    project,
    env,
    email,
    password: 'correct horse battery',
  });
  expectStatus(signedUp, 200, 'signup');
  const { access_token: token, sub } = signedUp.json as { access_token: string; sub: string };
  assert.equal(typeof sub, 'string', `signup returns sub: ${signedUp.text}`);
  return { sub, as: { bearer: token } };
}

/** `cel_condition` with end users A and B, each having inserted their own `users` row. */
async function owners(ctx: ScenarioContext): Promise<Owners> {
  const bootstrapped = await bootstrapProject(ctx, 'cel_condition');
  const [a, b] = await Promise.all([
    endUser(ctx, bootstrapped.project, bootstrapped.env),
    endUser(ctx, bootstrapped.project, bootstrapped.env),
  ]);
  for (const [owner, email, name] of [
    [a, 'a@x.io', 'User A'],
    [b, 'b@x.io', 'User B'],
  ] as const) {
    const inserted = expectRow<UserRow>(
      await ctx.bridge.call('db/users/insert', { values: { id: owner.sub, email, name } }, owner.as),
    );
    assert.equal(inserted.id, owner.sub);
  }
  return { ...bootstrapped, a, b };
}

async function storedUsers(ctx: ScenarioContext, owners: Owners): Promise<UserRow[]> {
  return ctx.db.query<UserRow>(owners.database.name, 'SELECT id, email, name FROM users ORDER BY email');
}

export const ownerRows = defineScenario(
  'SECURITY-001',
  'end users read and update only their own rows',
  async (ctx) => {
    const seeded = await owners(ctx);
    const { a, b, project, env } = seeded;
    const select = (owner: Owner, params: unknown) => ctx.bridge.call('db/users/select', params, owner.as);

    assert.deepEqual(
      expectRows<UserRow>(await select(a, {})).map((row) => row.id),
      [a.sub],
      'A sees exactly A',
    );
    assert.deepEqual(
      expectRows<UserRow>(await select(b, {})).map((row) => row.id),
      [b.sub],
      'B sees exactly B',
    );
    assert.deepEqual(expectRows(await select(a, { where: { id: b.sub } })), [], "B's row looks absent to A");
    assert.deepEqual(
      expectRows<UserRow>(await select(a, { where: { id: { $ne: 'x' } } })).map((row) => row.id),
      [a.sub],
      'a wider where cannot widen the filter',
    );
    const injected = await select(a, { where: { id: "x' OR '1'='1" } });
    assert.deepEqual(injected.json, { data: [] }, 'the where value is bound, not spliced');

    const hacked = await ctx.bridge.call('db/users/update', { where: { id: b.sub }, data: { name: 'hacked' } }, a.as);
    assert.deepEqual(hacked.json, { data: [] }, "A's update of B's row touches nothing");
    expectStatus(hacked, 200);
    const widened = await ctx.bridge.call(
      'db/users/update',
      { where: { email: { $ne: 'nobody' } }, data: { name: 'hacked' } },
      a.as,
    );
    assert.deepEqual(
      expectUpdated<{ id: string }>(widened, 1).map((row) => row.id),
      [a.sub],
      "a wider where still changes only A's row",
    );
    expectUpdated(
      await ctx.bridge.call('db/users/update', { where: { id: a.sub }, data: { name: 'A again' } }, a.as),
      1,
    );
    assert.deepEqual(
      await storedUsers(ctx, seeded),
      [
        { id: a.sub, email: 'a@x.io', name: 'A again' },
        { id: b.sub, email: 'b@x.io', name: 'User B' },
      ],
      "only A's row changed in the database",
    );

    const admin: Credentials = { apiKey: await createApiKey(ctx, project, env, 'admin') };
    const all = expectRows<UserRow>(await ctx.bridge.call('db/users/select', { orderBy: { email: 'asc' } }, admin));
    assert.deepEqual(
      all.map((row) => row.id),
      [a.sub, b.sub],
      'the admin rule has no condition',
    );
  },
);

export const ownerInsertAndRefusals = defineScenario(
  'SECURITY-001',
  'inserts must satisfy the owner condition; unmatched callers are refused',
  async (ctx) => {
    const seeded = await owners(ctx);
    const { a, b, project, env, database } = seeded;
    const note = (owner: Owner, ownerId: string, body: string) =>
      ctx.bridge.call('db/notes/insert', { values: { owner_id: ownerId, body } }, owner.as);
    const mine = expectRow<NoteRow>(await note(a, a.sub, 'a1'));
    assert.equal(mine.owner_id, a.sub);
    expectRow(await note(b, b.sub, 'b1'));
    const forged = await note(a, b.sub, 'forged');
    assert.match(expectError(forged, 403, 'FORBIDDEN').message, /condition failed/);
    expectNoData(forged);
    const stored = await ctx.db.query<NoteRow>(database.name, 'SELECT id, owner_id, body FROM notes ORDER BY body');
    assert.deepEqual(
      stored.map((row) => [row.owner_id, row.body]),
      [
        [a.sub, 'a1'],
        [b.sub, 'b1'],
      ],
      'the forged note was never written',
    );
    for (const [owner, body] of [
      [a, 'a1'],
      [b, 'b1'],
    ] as const) {
      const notes = expectRows<NoteRow>(await ctx.bridge.call('db/notes/select', {}, owner.as));
      assert.deepEqual(
        notes.map((row) => [row.owner_id, row.body]),
        [[owner.sub, body]],
        'each owner sees only their notes',
      );
    }

    await expectRefused(ctx, await refusedCallers(ctx, project, env), 'db/users/select', {});
    const removed = await ctx.bridge.call('db/users/delete', { where: { id: a.sub } }, a.as);
    expectError(removed, 403, 'FORBIDDEN');
    assert.deepEqual(
      (await storedUsers(ctx, seeded)).map((row) => row.id),
      [a.sub, b.sub],
      "A's row survived the refused delete",
    );
  },
);
