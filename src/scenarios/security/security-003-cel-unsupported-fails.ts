import assert from 'node:assert/strict';
import {
  applyFolder,
  bootstrapProject,
  createApiKey,
  defineScenario,
  expectError,
  expectNoData,
  expectRow,
  expectRows,
  hubCurrentRelease,
  signupAndLogin,
} from '../kit/index.ts';
import type { Credentials, HttpResponse, ScenarioContext } from '../kit/index.ts';

// t_and (two terms joined by &&), the request-only gates g_yes / g_no and t_unknown (a column the table lacks) are 400 too,
// and so is a value that only resembles request.auth.sub (request.user.sub, request.auth.id, auth.sub, requests.auth.sub, "request".auth.sub).
const LOOKALIKES = ['t_user_sub', 't_auth_id', 't_auth_root', 't_other_root', 't_quoted_root'];
// null, a bare identifier (`ok`, a name the seed holds), a double, !5 and -"a" are no string, integer or boolean literal,
// and `resource["name"]` is no resource.<column>.
const NOT_LITERALS = ['t_null', 't_ident', 't_float', 't_not', 't_neg_str', 't_index'];
/**
 * The error identifies the pattern it refuses (Santokit's SECURITY-003, Failure Modes), also where the condition's
 * own text does not show it: what a value must be, or that a column is written resource.<column>.
 */
const NAMED_PROBLEM: Record<string, RegExp> = {
  t_null: /literal/,
  t_ident: /literal/,
  t_float: /literal/,
  t_index: /resource\.<column>/,
  g_yes: /resource\.<column>/,
  g_no: /resource\.<column>/,
};
const UNSUPPORTED = [
  't_ne',
  't_gt',
  't_starts',
  't_in',
  't_or',
  't_mixed',
  't_and',
  'g_yes',
  'g_no',
  't_unknown',
  ...LOOKALIKES,
  ...NOT_LITERALS,
];
const SEED = [
  { name: 'ok', level: 1 },
  { name: 'Denied', level: 20 },
  { name: 'a', level: 5 },
];

type Row = { id: string; name: string | null; level: number | null; owner: string | null };

/** The 400 for an unsupported condition: `unsupported` in its message, no data. Returns the message. */
function expectUnsupported(response: HttpResponse, what: string): string {
  const { message } = expectError(response, 400, 'BAD_REQUEST');
  assert.match(message, /unsupported/i, `${what}: the message says unsupported`);
  expectNoData(response);
  return message;
}

async function stored(ctx: ScenarioContext, database: string, table: string): Promise<Row[]> {
  return ctx.db.query<Row>(database, `SELECT id, name, level, owner FROM "${table}" ORDER BY id`);
}

export const unsupportedConditions = defineScenario(
  'SECURITY-003',
  'conditions outside the row-filter subset are a hard 400 and change nothing',
  async (ctx) => {
    const { project, env, database } = await bootstrapProject(ctx, 'cel_condition_unsupported');
    const [session, key] = await Promise.all([
      signupAndLogin(ctx, project, env),
      createApiKey(ctx, project, env, 'admin'),
    ]);
    const user: Credentials = { bearer: session.accessToken };
    const admin: Credentials = { apiKey: key };
    for (const table of [...UNSUPPORTED, 't_ok']) {
      for (const values of SEED) expectRow(await ctx.bridge.call(`db/${table}/insert`, { values }, admin));
    }

    for (const table of UNSUPPORTED) {
      const response = await ctx.bridge.call(`db/${table}/select`, {}, user);
      const message = expectUnsupported(response, `select ${table}`);
      const problem = NAMED_PROBLEM[table];
      if (problem) assert.match(message, problem, `${table}: the problem`);
    }
    const ok = expectRows<Row>(await ctx.bridge.call('db/t_ok/select', {}, user));
    assert.deepEqual(
      ok.map((row) => row.name),
      ['ok'],
      'a supported condition in the same release still filters',
    );
    assert.equal(
      expectRows(await ctx.bridge.call('db/t_ne/select', {}, admin)).length,
      SEED.length,
      'the admin rule has no condition',
    );
    assert.equal(
      expectRows(await ctx.bridge.call('db/g_yes/select', {}, admin)).length,
      SEED.length,
      'only the rule that carries the condition fails',
    );

    const before = await stored(ctx, database.name, 't_ne');
    expectUnsupported(
      await ctx.bridge.call('db/t_ne/update', { where: { level: { $gte: 0 } }, data: { name: 'x' } }, user),
      'update t_ne',
    );
    expectUnsupported(
      await ctx.bridge.call('db/t_or/update', { where: { name: 'a' }, data: { level: 0 } }, user),
      'update t_or',
    );
    assert.deepEqual(await stored(ctx, database.name, 't_ne'), before, 'no row of t_ne changed');
    expectUnsupported(await ctx.bridge.call('db/t_gt/delete', { where: { level: { $gte: 0 } } }, user), 'delete t_gt');
    expectUnsupported(await ctx.bridge.call('db/t_in/delete', { where: { name: 'a' } }, user), 'delete t_in');
    for (const table of ['t_gt', 't_in', 't_or']) {
      assert.equal((await stored(ctx, database.name, table)).length, SEED.length, `${table} kept every row`);
    }
  },
);

export const invalidSyntaxPerCall = defineScenario(
  'SECURITY-003',
  'a condition that is not valid CEL ships as written and every call its rule governs is a 400',
  async (ctx) => {
    const { project, env } = await bootstrapProject(ctx, 'cel_condition');
    const [session, key] = await Promise.all([
      signupAndLogin(ctx, project, env),
      createApiKey(ctx, project, env, 'admin'),
    ]);
    const before = await hubCurrentRelease(ctx, project, env);
    for (const fixture of ['cel_condition_bad_syntax', 'cel_condition_truncated']) {
      // Conditions are parsed when a rule is evaluated (SECURITY-001…003), so apply takes the rule as written.
      await applyFolder(ctx, { project, env, ref: fixture, dir: ctx.fixture(fixture) });
      assert.notEqual(await hubCurrentRelease(ctx, project, env), before, `${fixture}: a new release`);
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const response = await ctx.bridge.call('db/users/select', {}, { bearer: session.accessToken });
        const message = expectUnsupported(response, `${fixture}: the broken rule, call ${attempt + 1}`);
        // The error identifies the problem (Santokit's SECURITY-003): here, that the text does not parse as CEL.
        assert.match(
          message,
          /not valid CEL|pars|syntax/i,
          `${fixture}: the message says the condition does not parse`,
        );
      }
      assert.deepEqual(
        expectRows(await ctx.bridge.call('db/users/select', {}, { apiKey: key })),
        [],
        `${fixture}: the admin rule has no condition and still serves`,
      );
    }
  },
);

export const longConditionNamed = defineScenario(
  'SECURITY-003',
  'the 400 names the unsupported operator or unknown column even when the condition is long',
  async (ctx) => {
    const { project, env, database } = await bootstrapProject(ctx, 'cel_condition_long');
    const session = await signupAndLogin(ctx, project, env);
    const user: Credentials = { bearer: session.accessToken };
    // Santokit's SECURITY-003 (Failure Modes): the message identifies the unsupported operator or pattern.
    // Here `||` comes only after a 120-character literal, so quoting the start of the condition is not enough.
    const calls: [string, Promise<HttpResponse>][] = [
      ['select', ctx.bridge.call('db/users/select', {}, user)],
      ['insert', ctx.bridge.call('db/users/insert', { values: { id: 'long-1', email: 'l@x.io', name: 'b' } }, user)],
    ];
    for (const [op, pending] of calls) {
      const response = await pending;
      assert.match(expectUnsupported(response, op), /\|\|/, `${op}: the message names ||`);
    }
    assert.deepEqual(await ctx.db.query(database.name, 'SELECT id FROM users'), [], 'the insert wrote nothing');
    const joined = await ctx.bridge.call('db/notes/update', { where: { body: 'a' }, data: { body: 'b' } }, user);
    assert.match(expectUnsupported(joined, 'notes update'), /&&/, 'update: the message names &&');
    const unknown = await ctx.bridge.call('db/notes/select', {}, user);
    assert.match(expectUnsupported(unknown, 'notes'), /nosuch/, 'the message names the unknown column');
    // errors.md: the message is a short sentence, so a 1000-character column name is named, not repeated in full.
    const longName = `n${'o'.repeat(998)}n`;
    const named = await ctx.bridge.call('db/notes/delete', { where: { body: 'a' } }, user);
    const message = expectUnsupported(named, 'notes delete');
    assert.match(message, /unknown column 'noooo/, 'the message names the unknown column by its start');
    assert.ok(!message.includes(longName), `the message stays short (${message.length} characters)`);
  },
);
