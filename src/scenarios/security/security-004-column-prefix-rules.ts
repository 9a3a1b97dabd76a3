import assert from 'node:assert/strict';
import {
  bootstrapProject,
  createApiKey,
  defineScenario,
  expectError,
  expectNoData,
  expectRow,
  expectRows,
} from '../kit/index.ts';
import type { BootstrappedProject, Credentials, HttpResponse, ScenarioContext } from '../kit/index.ts';

const SEED = { normal: 'John Doe', s_sensitive: 's1', c_secret: 'c1', p_private: 'p1', _system: 'x1' };

interface Keys extends BootstrappedProject {
  readonly admin: Credentials;
  readonly viewer: Credentials;
  readonly auditor: Credentials;
  /** Id of the row the admin key seeded. */
  readonly id: string;
}

/** `column_prefix` with one key per role and the admin key's row. */
async function seeded(ctx: ScenarioContext): Promise<Keys & { readonly inserted: HttpResponse }> {
  const bootstrapped = await bootstrapProject(ctx, 'column_prefix');
  const { project, env } = bootstrapped;
  const key = (role: string) => createApiKey(ctx, project, env, role, role);
  const [admin, viewer, auditor] = (await Promise.all(['admin', 'viewer', 'auditor'].map(key))).map((apiKey) => ({
    apiKey,
  }));
  assert.ok(admin && viewer && auditor);
  const inserted = await ctx.bridge.call('db/users/insert', { values: SEED }, admin);
  const id = expectRow<{ id: string }>(inserted).id;
  return { ...bootstrapped, admin, viewer, auditor, id, inserted };
}

function members(rows: readonly Record<string, unknown>[]): string[][] {
  return rows.map((row) => Object.keys(row).sort());
}

export const explicitLists = defineScenario(
  'SECURITY-004',
  'prefixed columns are returned exactly as the rule lists them',
  async (ctx) => {
    const { admin, viewer, auditor, id, inserted } = await seeded(ctx);
    assert.deepEqual(expectRow(inserted), { id, ...SEED }, 'the insert returns all six columns');
    const select = (as: Credentials, params: unknown = {}) => ctx.bridge.call('db/users/select', params, as);

    const all = expectRows(await select(admin));
    assert.deepEqual(
      members(all),
      [['_system', 'c_secret', 'id', 'normal', 'p_private', 's_sensitive']],
      '"*" covers prefixed columns',
    );
    const viewed = expectRows(await select(viewer, { where: { normal: 'John Doe' } }));
    assert.deepEqual(
      viewed,
      [{ id, normal: 'John Doe', s_sensitive: 's1' }],
      'a listed s_ column is returned, unlisted ones are not',
    );
    const audited = expectRows(await select(auditor));
    assert.deepEqual(
      audited,
      [{ id, c_secret: 'c1', p_private: 'p1', _system: 'x1' }],
      'listed c_, p_ and _ columns are returned',
    );
    assert.deepEqual(
      expectRows(await select(viewer, { columns: ['normal'] })),
      [{ normal: 'John Doe' }],
      'columns narrows the list',
    );
  },
);

export const hiddenColumns = defineScenario(
  'SECURITY-004',
  'unlisted columns cannot be filtered, sorted, chosen or written',
  async (ctx) => {
    const { viewer, project, env, database, id } = await seeded(ctx);
    const select = (params: unknown, as: Credentials = viewer) => ctx.bridge.call('db/users/select', params, as);
    const probes: [unknown, string][] = [
      [{ where: { c_secret: 'c1' } }, 'c_secret'],
      [{ orderBy: { p_private: 'asc' } }, 'p_private'],
      [{ columns: ['_system'] }, '_system'],
      [{ columns: ['normal', 'c_secret'] }, 'c_secret'],
    ];
    for (const [params, column] of probes) {
      const refused = await select(params);
      assert.ok(
        expectError(refused, 403, 'FORBIDDEN').message.includes(column),
        `the message names ${column}: ${refused.text}`,
      );
      expectNoData(refused);
    }

    const written = await ctx.bridge.call('db/users/insert', { values: { normal: 'Viewer' } }, viewer);
    expectError(written, 403, 'FORBIDDEN');
    expectNoData(written);
    const guest = await select({}, { apiKey: await createApiKey(ctx, project, env, 'guest', 'guest') });
    expectError(guest, 403, 'FORBIDDEN');
    expectNoData(guest);
    const rows = await ctx.db.query(
      database.name,
      'SELECT id, normal, s_sensitive, c_secret, p_private, _system FROM users',
    );
    assert.deepEqual(rows, [{ id, ...SEED }], 'only the seeded row exists, unchanged');
  },
);
