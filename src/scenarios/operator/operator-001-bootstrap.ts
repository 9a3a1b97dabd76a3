import assert from 'node:assert/strict';
import {
  createApiKey,
  defineScenario,
  expectAffected,
  expectExit,
  expectRows,
  expectStatus,
  setMainConnection,
} from '../kit/index.ts';
import type { ScenarioContext } from '../kit/index.ts';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

function lines(text: string): string[] {
  return text.split('\n').filter(Boolean);
}

async function newProject(ctx: ScenarioContext): Promise<string> {
  await ctx.operatorToken();
  const project = ctx.uniqueName('boot');
  const created = await ctx.stk(['project', 'create', project]);
  expectExit(created, 0);
  assert.equal(created.stdout, '', 'project create prints nothing');
  return project;
}

export const bootstrap = defineScenario(
  'OPERATOR-001',
  'bootstrap goes from nothing to a serving release',
  async (ctx) => {
    const project = await newProject(ctx);
    assert.ok(lines((await ctx.stk(['project', 'list'])).stdout).includes(project), 'project list shows the project');
    for (const env of ['dev', 'prod']) expectExit(await ctx.stk(['env', 'create', '--project', project, env]), 0);
    assert.deepEqual(lines((await ctx.stk(['env', 'list', '--project', project])).stdout).sort(), ['dev', 'prod']);

    const database = await ctx.db.create(`stk_${project}`);
    const password = new URL(database.serviceUrl).password;
    expectExit(await setMainConnection(ctx, { project, env: 'dev' }, database.serviceUrl), 0);
    const listed = lines((await ctx.stk(['connections', 'list', '--project', project, '--env', 'dev'])).stdout);
    assert.equal(listed.length, 1);
    assert.match(listed[0] ?? '', /^main engine=postgres url=.*\*\*\*/);
    if (password) assert.ok(!listed[0]?.includes(`:${password}@`), 'the password is never shown');
    const shown = await ctx.stk([
      'connections',
      'show',
      '--project',
      project,
      '--env',
      'dev',
      '--name',
      'main',
      '--json',
    ]);
    const connection = JSON.parse(shown.stdout) as Record<string, unknown>;
    assert.equal(connection.name, 'main');
    assert.equal(connection.engine, 'postgres');
    const redacted = new URL(database.serviceUrl);
    if (password) redacted.password = '***';
    assert.equal(connection.redacted_url, redacted.toString(), 'only the password is replaced');
    if (password) assert.ok(!shown.stdout.includes(`:${password}@`), 'show --json holds no password');
    // A URL without a password has nothing to replace: it is shown as set, with no *** standing for a password.
    const passwordless = 'postgres://reader@127.0.0.1:5432/reports';
    expectExit(await setMainConnection(ctx, { project, env: 'prod' }, passwordless), 0);
    const prod = await ctx.stk(['connections', 'list', '--project', project, '--env', 'prod']);
    assert.deepEqual(lines(prod.stdout), [`main engine=postgres url=${passwordless}`]);
    const tested = await ctx.stk(['connections', 'test', '--project', project, '--env', 'dev', '--name', 'main']);
    expectExit(tested, 0);
    assert.equal(tested.stdout.trim(), 'connection ok: main');

    const applied = await ctx.stk(['apply', '--project', project, '--env', 'dev', '--ref', 'bootstrap-1'], {
      cwd: ctx.fixture('basic'),
    });
    expectExit(applied, 0);
    const releaseId = /releaseId: (\S+)/.exec(applied.stdout)?.[1];
    assert.match(releaseId ?? '', UUID, 'apply prints releaseId: <uuid>');
    assert.match(applied.stdout, /^reused: false$/m);
    const current = await ctx.stk(['release', 'current', '--project', project, '--env', 'dev']);
    expectExit(current, 0);
    assert.match(current.stdout, new RegExp(`^Current release: ${releaseId}$`, 'm'));
    assert.match(current.stdout, /^Ref: bootstrap-1$/m);

    const columns = await ctx.db.query<{ column_name: string }>(
      database.name,
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'users' ORDER BY column_name`,
    );
    assert.deepEqual(
      columns.map((row) => row.column_name),
      ['created_at', 'email', 'id', 'name'],
    );

    const apiKey = await createApiKey(ctx, project, 'dev', 'admin');
    assert.deepEqual(expectRows(await ctx.bridge.call('db/users/select', {}, { apiKey })), []);
    expectStatus(await ctx.bridge.call('db/users/insert', { values: { email: 'a@b.com' } }, { apiKey }), 200, 'insert');
    const rows = expectRows<{ email: string }>(await ctx.bridge.call('db/users/select', {}, { apiKey }));
    assert.deepEqual(
      rows.map((row) => row.email),
      ['a@b.com'],
    );
    expectAffected(await ctx.bridge.call('db/users/delete', { where: { email: 'a@b.com' } }, { apiKey }), 1);
    const ready = await ctx.bridge.http.get('/readyz', { query: { project, env: 'dev' } });
    expectStatus(ready, 200, 'bridge readiness for the bootstrapped env');
  },
  // About a dozen `stk` starts: 40 s under compose in CI, too near the default 60 s.
  { timeoutMs: 180_000 },
);

export const applyJson = defineScenario(
  'OPERATOR-001',
  'apply --json on a fresh env reports a new release',
  async (ctx) => {
    const project = await newProject(ctx);
    expectExit(await ctx.stk(['env', 'create', '--project', project, 'dev']), 0);
    const database = await ctx.db.create(`stk_${project}`);
    expectExit(await setMainConnection(ctx, { project, env: 'dev' }, database.serviceUrl), 0);
    const applied = await ctx.stk(['apply', '--project', project, '--env', 'dev', '--ref', 'bootstrap-1', '--json'], {
      cwd: ctx.fixture('basic'),
    });
    expectExit(applied, 0);
    const body = JSON.parse(applied.stdout) as Record<string, unknown>;
    assert.match(String(body.release_id), UUID);
    assert.equal(body.reused, false);
    assert.equal(body.dry_run, false);
  },
);

function expectFailure(result: { exitCode: number; stderr: string }, pattern: RegExp): void {
  assert.notEqual(result.exitCode, 0, 'the command fails');
  assert.match(result.stderr, pattern);
}

export const bootstrapRefusals = defineScenario(
  'OPERATOR-001',
  'bootstrap refuses duplicates, bad names, unknown targets and bad connections',
  async (ctx) => {
    const project = await newProject(ctx);
    expectFailure(await ctx.stk(['project', 'create', project]), /409 Conflict/);
    const duplicateJson = await ctx.stk(['project', 'create', project, '--json']);
    assert.equal((JSON.parse(duplicateJson.stdout) as { error: { code: string } }).error.code, 'CONFLICT');
    expectFailure(await ctx.stk(['project', 'create', 'Bad Name']), /400 Bad Request/);
    assert.ok(!(await ctx.stk(['project', 'list'])).stdout.includes('Bad Name'));
    expectFailure(await ctx.stk(['env', 'create', '--project', ctx.uniqueName('nosuch'), 'dev']), /404 Not Found/);
    expectExit(await ctx.stk(['env', 'create', '--project', project, 'dev']), 0);
    expectFailure(await ctx.stk(['env', 'create', '--project', project, 'dev']), /409 Conflict/);
    const set = (engine: string, url: string) => setMainConnection(ctx, { project, env: 'dev' }, url, engine);
    expectFailure(await set('mysql', 'postgres://u@127.0.0.1/x'), /400 Bad Request/);
    assert.equal((await ctx.stk(['connections', 'list', '--project', project, '--env', 'dev'])).stdout, '');
    expectFailure(await set('postgres', 'not-a-url'), /400 Bad Request/);
    expectFailure(
      await ctx.stk(['connections', 'test', '--project', project, '--env', 'dev', '--name', 'nosuch']),
      /404 Not Found \(connection not found\)/,
    );
    const secret = 'hunter2secret';
    expectExit(await set('postgres', `postgres://stk:${secret}@127.0.0.1:1/nowhere`), 0);
    const started = Date.now();
    const tested = await ctx.stk(['connections', 'test', '--project', project, '--env', 'dev', '--name', 'main']);
    expectFailure(tested, /400 Bad Request \(connection failed: main\)/);
    assert.ok(Date.now() - started < 10_000, 'the test gives up within 10 s');
    assert.ok(!`${tested.stdout}${tested.stderr}`.includes(secret), 'no password in the output');
    const applied = await ctx.stk(['apply', '--project', project, '--env', 'dev', '--ref', 'r1'], {
      cwd: ctx.fixture('basic'),
    });
    expectFailure(applied, /400 Bad Request/);
    assert.ok(!`${applied.stdout}${applied.stderr}`.includes(secret), 'no password in the apply output');
    expectFailure(await ctx.stk(['release', 'current', '--project', project, '--env', 'dev']), /404 Not Found/);
    expectFailure(
      await ctx.stk(['apply', '--project', project, '--env', 'dev'], { cwd: ctx.fixture('basic') }),
      /^Error: missing --ref$/m,
    );
    expectFailure(await ctx.stk(['project', 'list'], { env: { STK_AUTH_TOKEN: '' } }), /401 Unauthorized/);
  },
  // Eighteen `stk` starts: under compose each is a `docker exec` of 2 to 3 s, so the run passed the default 60 s.
  { timeoutMs: 180_000 },
);

export const applyWithoutMain = defineScenario(
  'OPERATOR-001',
  'apply into an env without a main connection is a schema error',
  async (ctx) => {
    const project = await newProject(ctx);
    expectExit(await ctx.stk(['env', 'create', '--project', project, 'dev']), 0);
    const applied = await ctx.stk(['apply', '--project', project, '--env', 'dev', '--ref', 'r1', '--json'], {
      cwd: ctx.fixture('basic'),
    });
    expectFailure(applied, /400 Bad Request/);
    assert.equal((JSON.parse(applied.stdout) as { error: { code: string } }).error.code, 'SCHEMA_VALIDATION_FAILED');
    expectFailure(await ctx.stk(['release', 'current', '--project', project, '--env', 'dev']), /404 Not Found/);
  },
);
