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
import type { Credentials, ScenarioContext } from '../kit/index.ts';

interface Team {
  id: string;
  name: string;
  listed: boolean;
}

interface Player {
  id: string;
  nick: string;
  team_id: string | null;
  team?: Partial<Team> | null;
}

interface RulesProject {
  readonly admin: Credentials;
  readonly scout: Credentials;
  readonly players: Readonly<Record<'open' | 'closed' | 'free', Player>>;
  readonly open: Team;
}

/**
 * Fixture `expand_rules`: `players.team_id` (bigint) references `teams` (auto_increment id) as `team`; `scout`
 * reads players, and of teams only those with `listed` true and only their `name`.
 */
async function setup(ctx: ScenarioContext): Promise<RulesProject> {
  const { project, env } = await bootstrapProject(ctx, 'expand_rules');
  const key = async (role: string): Promise<Credentials> => ({
    apiKey: await createApiKey(ctx, project, env, role, role),
    project,
    env,
  });
  const admin = await key('admin');
  const insert = async <Row>(table: string, values: Record<string, unknown>) =>
    expectRow<Row>(await ctx.bridge.call(`db/${table}/insert`, { values }, admin));
  const open = await insert<Team>('teams', { name: 'Open', listed: true });
  const closed = await insert<Team>('teams', { name: 'Closed', listed: false });
  const players = {
    open: await insert<Player>('players', { nick: 'ann', team_id: open.id }),
    closed: await insert<Player>('players', { nick: 'bob', team_id: closed.id }),
    free: await insert<Player>('players', { nick: 'cy', team_id: null }),
  };
  return { admin, scout: await key('scout'), players, open };
}

const teamsOf = (rows: readonly Player[]) => Object.fromEntries(rows.map((row) => [row.nick, row.team]));

export const expandUnderRelatedRule = defineScenario(
  'CRUD-003',
  "the related rule's row filter and column list shape each nested row, whatever type its key has",
  async (ctx) => {
    const { admin, scout, players, open } = await setup(ctx);
    const select = async (caller: Credentials, params: Record<string, unknown>) =>
      expectRows<Player>(await ctx.bridge.call('db/players/select', params, caller));

    // Rule 4: a null foreign key gives null, here with a bigint key and no row filter.
    assert.deepEqual(teamsOf(await select(admin, { expand: ['team'] })), {
      ann: open,
      bob: { id: players.closed.team_id, name: 'Closed', listed: false },
      cy: null,
    });
    assert.deepEqual(
      await select(admin, { where: { id: players.free.id }, expand: ['team'] }),
      [{ ...players.free, team: null }],
      'a select whose only row has a null key still answers',
    );
    // Rules 3 and 4: the scout's rule on teams keeps listed teams and only their name, so the key is not shown;
    // a hidden team is null and its player is still returned.
    const seen = await select(scout, { expand: ['team'] });
    assert.deepEqual(seen.map((row) => row.nick).sort(), ['ann', 'bob', 'cy']);
    assert.deepEqual(teamsOf(seen), { ann: { name: 'Open' }, bob: null, cy: null });
  },
);

export const expandParamForms = defineScenario(
  'CRUD-003',
  'expand null is no expand, and a list holding a non-string is refused',
  async (ctx) => {
    const { admin, players } = await setup(ctx);
    const select = (params: Record<string, unknown>) => ctx.bridge.call('db/players/select', params, admin);
    const where = { id: players.open.id };
    // Every select param is optional (call-api.md) and null stands for absent, as for orderBy, limit, offset and
    // columns; Santokit's Bridge skips a null expand.
    assert.deepEqual(expectRows(await select({ where, expand: null })), [players.open], 'expand: null adds nothing');
    // Rule 2: anything but an array of strings is a 400, one string among others included.
    for (const expand of [
      ['team', 1],
      [1, 'team'],
      ['team', null],
    ]) {
      const refused = await select({ where, expand });
      expectError(refused, 400, 'BAD_REQUEST');
      expectNoData(refused);
    }
  },
);
