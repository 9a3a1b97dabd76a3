/** The real `stk` binary against the real Hub process, from a project folder in a temporary directory. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { exited, runHubMain, startHubProcess, stk, type HubProcess, type StkResult } from './test-hub.ts';

const KEYS = {
  STK_PASETO_KEYS: 'k1:paseto-secret-for-stk-0001',
  STK_SECRET_KEY: 'seal-key-for-stk-0001',
  STK_SERVICE_TOKEN: 'svc-token-for-stk',
};
const USERS =
  'version: 1\ntables:\n  users:\n    columns:\n      email: { type: string, unique: true }\n      name: { type: string, nullable: true }\n';

let postgres: TestPostgres;
let hub: HubProcess;
let folder: string;
let env: Record<string, string | undefined>;

const run = (args: readonly string[], extra: Record<string, string | undefined> = {}, cwd = folder) =>
  stk(args, { ...env, ...extra }, cwd);
const lines = (result: StkResult) => result.stdout.split('\n').filter(Boolean);

function expectExit(result: StkResult, code: number): void {
  assert.equal(result.code, code, `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
}

function writeProject(root: string): void {
  mkdirSync(join(root, 'schema'), { recursive: true });
  mkdirSync(join(root, 'config'), { recursive: true });
  mkdirSync(join(root, 'logics', 'admin'), { recursive: true });
  writeFileSync(join(root, 'schema', 'users.yaml'), USERS);
  writeFileSync(join(root, 'config', 'permissions.yaml'), 'tables:\n  users:\n    select: { roles: [admin] }\n');
  writeFileSync(
    join(root, 'logics', 'admin', 'stats.sql'),
    '---\nroles: [admin]\n---\nSELECT count(*) AS n FROM users\n',
  );
}

async function alter(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(statement);
  await client.end();
}

describe('stk against the Hub process', () => {
  before(async () => {
    postgres = await startTestPostgres();
    hub = await startHubProcess({ ...KEYS, STK_HUB_DB_URL: await postgres.createDatabase('hub_state') });
    folder = mkdtempSync(join(tmpdir(), 'stk-project-'));
    writeProject(folder);
    env = { STK_HUB_URL: hub.url };
  });
  after(async () => {
    await hub?.stop();
    await postgres?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  test('the Hub refuses to start without its secrets and names the missing variable', async () => {
    const child = runHubMain({ ...KEYS, STK_SERVICE_TOKEN: '', STK_HUB_DB_URL: postgres.url('hub_state') });
    const { code, stderr } = await exited(child);
    assert.equal(code, 1);
    assert.equal(stderr.trim(), 'hub: STK_SERVICE_TOKEN is required');
    assert.match(hub.output(), /^hub listening on \d+$/m);
  });

  test('login, bootstrap, apply with its output lines, idempotency and --json', async () => {
    const login = await run(['login', '--email', 'owner@example.com', '--password', 'password']);
    expectExit(login, 0);
    env.STK_AUTH_TOKEN = login.stdout.trim();
    assert.match(env.STK_AUTH_TOKEN, /^v4\.local\./);
    assert.equal((await run(['whoami'])).stdout, 'owner@example.com\n');
    const noToken = await run(['project', 'list'], { STK_AUTH_TOKEN: undefined });
    expectExit(noToken, 1);
    assert.equal(noToken.stderr, 'Error: request failed: 401 Unauthorized (operator auth required)\n');
    expectExit(await run(['project', 'create', 'shop']), 0);
    const duplicate = await run(['project', 'create', 'shop', '--json']);
    expectExit(duplicate, 1);
    assert.equal(duplicate.stderr, 'Error: request failed: 409 Conflict (project already exists)\n');
    assert.equal(JSON.parse(duplicate.stdout).error.code, 'CONFLICT');
    expectExit(await run(['env', 'create', '--project', 'shop', 'dev']), 0);
    expectExit(await run(['env', 'create', 'prod'], { STK_PROJECT: 'shop' }), 0);
    assert.deepEqual(lines(await run(['env', 'list'], { STK_PROJECT: 'shop' })), ['dev', 'prod']);
    for (const name of ['dev', 'prod']) {
      const url = await postgres.createDatabase(`shop_${name}`);
      expectExit(
        await run([
          'connections',
          'set',
          '--project',
          'shop',
          '--env',
          name,
          '--name',
          'main',
          '--engine',
          'postgres',
          '--db-url',
          url,
        ]),
        0,
      );
    }
    assert.equal(
      (await run(['connections', 'test', '--project', 'shop', '--env', 'dev', '--name', 'main'])).stdout,
      'connection ok: main\n',
    );
    assert.match(
      (await run(['connections', 'list', '--project', 'shop', '--env', 'dev'])).stdout,
      /^main engine=postgres url=postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/shop_dev\n$/,
    );
    const missing = await run(['apply', '--project', 'shop', '--env', 'dev']);
    expectExit(missing, 1);
    assert.equal(missing.stderr, 'Error: missing --ref\n');
    const dry = await run(['apply', '--project', 'shop', '--env', 'dev', '--ref', 'r1', '--dry-run']);
    assert.deepEqual(
      lines(dry).map((line) => line.replace(/\(.*/, '(…')),
      ['ddl [main] CREATE TABLE "users" (…', 'dry run: no changes applied'],
    );
    const applied = await run(['apply', '--project', 'shop', '--env', 'dev', '--ref', 'r1'], {
      STK_ENV: 'ignored-by-flag',
    });
    expectExit(applied, 0);
    assert.match(applied.stdout, /^ddl \[main\] CREATE TABLE "users" .*\nreleaseId: [0-9a-f-]{36}\nreused: false\n$/);
    const again = await run(['apply', '--ref', 'r1', '--json'], { STK_PROJECT: 'shop', STK_ENV: 'dev' });
    const body = JSON.parse(again.stdout) as { release_id: string; reused: boolean; plan: unknown[] };
    assert.deepEqual([body.reused, body.plan], [true, []]);
    assert.equal(lines(again).length, 1, '--json prints one line');
    assert.equal(applied.stdout.match(/releaseId: (\S+)/)?.[1], body.release_id);
  });

  test('API keys, releases, drift and memberships through the CLI', async () => {
    const scope = ['--project', 'shop', '--env', 'dev'];
    const created = await run(['apikey', 'create', ...scope, '--name', 'server', '--roles', 'admin, ,reader']);
    assert.match(created.stdout, /^API Key \(store securely\): [^.\s]+\.[A-Za-z0-9_-]{32,}\n$/);
    assert.match(
      (await run(['apikey', 'list', ...scope])).stdout,
      /^server status=active roles=admin,reader created=\S+Z\n$/,
    );
    expectExit(await run(['apikey', 'revoke', ...scope, '--key-id', 'server']), 0);
    assert.match((await run(['apikey', 'list', ...scope])).stdout, /^server status=revoked /);
    const current = await run(['release', 'current', ...scope]);
    const id = /^Current release: (\S+)$/m.exec(current.stdout)?.[1] ?? '';
    assert.match(current.stdout, /^Current release: \S+\nRef: r1\nCreated: \S+Z\n$/);
    assert.match(
      (await run(['release', 'list', ...scope])).stdout,
      new RegExp(`^${id} ref=r1 created=\\S+ \\(current\\)\\n$`),
    );
    assert.match(
      (await run(['release', 'show', '--project', 'shop', '--release-id', id])).stdout,
      /^Release: \S+\nProject\/Env: shop\/dev\nRef: r1\nCreated: \S+\n$/,
    );
    const snapshot = await run(['schema', 'snapshot', '--project', 'shop', '--env', 'prod']);
    assert.equal(snapshot.stdout, 'snapshot ok\n- main: 0 tables\n');
    await alter(postgres.url('shop_prod'), 'CREATE TABLE audit_tmp (id int)');
    const drift = await run(['schema', 'drift', '--project', 'shop', '--env', 'prod']);
    expectExit(drift, 1);
    assert.equal(drift.stdout, 'Schema drift for shop/prod\n- main: extra table audit_tmp\n');
    const blocked = await run(['release', 'promote', '--project', 'shop', '--from', 'dev', '--to', 'prod']);
    expectExit(blocked, 1);
    assert.equal(
      blocked.stderr,
      'Error: request failed: 409 Conflict (schema drift detected on connection main: extra table audit_tmp)\n',
    );
    await alter(postgres.url('shop_prod'), 'DROP TABLE audit_tmp');
    const incompatible = await run(['release', 'promote', '--project', 'shop', '--release-id', id, '--to', 'prod']);
    expectExit(incompatible, 1);
    assert.equal(
      incompatible.stderr,
      'Error: request failed: 409 Conflict (target database does not match the release on connection main: missing table users)\n',
    );
    expectExit(await run(['apply', '--project', 'shop', '--env', 'prod', '--ref', 'r1', '--only', 'schema']), 0);
    assert.equal(
      (await run(['release', 'promote', '--project', 'shop', '--release-id', id, '--to', 'prod'])).stdout,
      `Release promoted to prod: ${id}\n`,
    );
    assert.equal(
      (await run(['release', 'rollback', '--project', 'shop', '--env', 'prod', '--to-release-id', id])).stdout,
      `Rollback complete: ${id}\n`,
    );
    expectExit(await run(['project', 'invite', 'ci@example.com', '--project', 'shop', '--role', 'deployer']), 0);
    assert.equal(
      (await run(['project', 'members', 'list', '--project', 'shop'])).stdout,
      'ci@example.com role=deployer status=pending\n',
    );
    expectExit(
      await run(['project', 'members', 'set-role', 'ci@example.com', '--project', 'shop', '--role', 'viewer']),
      0,
    );
    assert.equal(
      (await run(['project', 'members', 'list', '--project', 'shop'])).stdout,
      'ci@example.com role=viewer status=active\n',
    );
    expectExit(await run(['project', 'remove', 'ci@example.com', '--project', 'shop']), 0);
    const gone = await run(['project', 'remove', 'ci@example.com', '--project', 'shop']);
    assert.equal(gone.stderr, 'Error: request failed: 404 Not Found (not a member)\n');
    assert.equal((await run(['org', 'members', 'list'])).stdout, 'owner@example.com role=owner status=active\n');
    const oidc = [
      'oidc',
      'provider',
      'create',
      ...scope,
      '--name',
      'idp',
      '--issuer',
      'https://idp.example.test',
      '--client-id',
      'cid',
      '--client-secret',
      'oidc-secret-9',
    ];
    assert.equal((await run(oidc)).stderr, 'Error: missing --redirect-uri\n');
    const endpoints = [
      '--authorization-endpoint',
      'https://idp.example.test/a',
      '--token-endpoint',
      'https://idp.example.test/t',
      '--jwks-uri',
      'https://idp.example.test/k',
    ];
    const registered = await run([
      ...oidc,
      '--redirect-uri',
      'https://app.test/a',
      '--redirect-uri',
      'https://app.test/b',
      ...endpoints,
      '--json',
    ]);
    assert.deepEqual(JSON.parse(registered.stdout).redirect_uris, ['https://app.test/a', 'https://app.test/b']);
    const providers = await run(['oidc', 'provider', 'list', ...scope]);
    assert.equal(providers.stdout, 'idp issuer=https://idp.example.test client_id=cid\n');
  });

  test('transport failures and SIGTERM', async () => {
    const unreachable = await run(['project', 'list'], { STK_HUB_URL: 'http://127.0.0.1:1' });
    expectExit(unreachable, 1);
    assert.match(
      unreachable.stderr,
      /^Error: error sending request for url \(http:\/\/127\.0\.0\.1:1\/api\/projects\)\n/,
    );
    assert.equal(await hub.stop(), 0);
  });
});
