import assert from 'node:assert/strict';
import {
  bootstrapProject,
  defineScenario,
  expectEnvelope,
  expectExit,
  expectRows,
  expectStatus,
  projectOperator,
} from '../kit/index.ts';
import type { ScenarioContext } from '../kit/index.ts';
import type { StkResult } from '../../stack/types.ts';

const KEY_LINE = /^API Key \(store securely\): ([^.\s]+\.[A-Za-z0-9_-]{32,})$/;

function keyOf(result: StkResult): string {
  expectExit(result, 0);
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines.length, 1, `exactly one line: ${result.stdout}`);
  const key = KEY_LINE.exec(lines[0] ?? '')?.[1];
  assert.ok(key, `the key line: ${result.stdout}`);
  return key;
}

const scope = (project: string, env = 'dev') => ['--project', project, '--env', env];
const create = (ctx: ScenarioContext, project: string, name: string, roles: string, extra: string[] = []) =>
  ctx.stk(['apikey', 'create', ...scope(project), '--name', name, '--roles', roles, ...extra]);

/** Calls with a revoked key right after the revoke answered: every one is 401, none 200 (no cache may serve it). */
async function refusedEveryTime(
  select: () => ReturnType<ScenarioContext['bridge']['call']>,
  what: string,
  secret: string,
  times = 50,
): Promise<void> {
  for (let attempt = 1; attempt <= times; attempt += 1) {
    expectEnvelope(await select(), {
      what: `${what}, call ${attempt} of ${times}`,
      status: 401,
      code: 'UNAUTHORIZED',
      secrets: [secret],
    });
  }
}

export const keyLifecycle = defineScenario(
  'OPERATOR-002',
  'an API key is created, listed without its secret, used, and refused by every call right after its revocation',
  async (ctx) => {
    const { project, env } = await bootstrapProject(ctx, 'basic', { prefix: 'apikeys' });
    const other = await bootstrapProject(ctx, 'basic', { prefix: 'apikeys' });
    const key = keyOf(await create(ctx, project, 'server', 'admin'));
    const secret = key.split('.')[1] ?? '';
    const json = JSON.parse((await create(ctx, project, 'second', 'admin', ['--json'])).stdout) as {
      key_id: string;
      api_key: string;
    };
    assert.ok(json.api_key.startsWith(`${json.key_id}.`), 'api_key starts with key_id.');

    const list = await ctx.stk(['apikey', 'list', ...scope(project)]);
    expectExit(list, 0);
    assert.match(list.stdout, /^server status=active roles=admin/m);
    const listed = JSON.parse((await ctx.stk(['apikey', 'list', ...scope(project), '--json'])).stdout) as Record<
      string,
      unknown
    >[];
    for (const item of listed)
      for (const field of ['id', 'name', 'roles', 'status', 'created_at'])
        assert.ok(field in item, `list item has ${field}`);
    for (const output of [list.stdout, JSON.stringify(listed)])
      assert.ok(!output.includes(secret) && !output.includes(key), 'the list shows no secret');

    const select = (apiKey: string, hints: object = { project, env }) =>
      ctx.bridge.call('db/users/select', { limit: 1 }, { apiKey, ...hints });
    expectRows(await select(key));
    expectRows(await select(key, {}));
    const otherKey = keyOf(await create(ctx, other.project, 'server', 'admin'));
    expectRows(await select(otherKey, { project: other.project, env }));
    expectRows(await select(key));

    // Warm whatever the Bridge remembers about both keys, then revoke: the very next call is refused, and so is every one after it.
    for (let warm = 0; warm < 5; warm += 1) expectRows(await select(json.api_key));
    expectExit(await ctx.stk(['apikey', 'revoke', ...scope(project), '--key-id', 'server']), 0);
    await refusedEveryTime(() => select(key), 'a key revoked by name', secret);
    assert.match((await ctx.stk(['apikey', 'list', ...scope(project)])).stdout, /^server status=revoked/m);
    const revokedById = await ctx.hub.post(
      '/api/apikeys/revoke',
      { project, env, key_id: json.key_id },
      { token: await ctx.operatorToken() },
    );
    expectStatus(revokedById, 200);
    await refusedEveryTime(() => select(json.api_key), 'a key revoked by id', json.api_key.split('.')[1] ?? '');
    expectRows(await select(otherKey, { project: other.project, env }));
  },
);

export const keyRoles = defineScenario(
  'OPERATOR-002',
  'a key carries its roles to the caller; tampered, foreign-context and malformed keys are refused',
  async (ctx) => {
    const { project, env } = await bootstrapProject(ctx, 'basic', { prefix: 'apikeys' });
    const reader = keyOf(await create(ctx, project, 'reader', 'reader'));
    const hints = { project, env };
    expectRows(await ctx.bridge.call('db/users/select', {}, { apiKey: reader, ...hints }));
    expectEnvelope(
      await ctx.bridge.call('db/users/insert', { values: { email: 'r@example.com' } }, { apiKey: reader, ...hints }),
      { what: 'reader insert', status: 403, code: 'FORBIDDEN' },
    );
    const last = reader.at(-1) === 'A' ? 'B' : 'A';
    const cases = [
      ['last secret character changed', { apiKey: `${reader.slice(0, -1)}${last}`, ...hints }, 401, 'UNAUTHORIZED'],
      ['no dot in the key', { apiKey: reader.replace('.', ''), ...hints }, 401, 'UNAUTHORIZED'],
      ['hints of another env', { apiKey: reader, project, env: 'prod' }, 403, 'FORBIDDEN'],
      ['hints of another project', { apiKey: reader, project: ctx.uniqueName('other'), env }, 403, 'FORBIDDEN'],
    ] as const;
    for (const [what, credentials, status, code] of cases) {
      const response = await ctx.bridge.call('db/users/select', {}, credentials);
      expectEnvelope(response, { what, status, code, secrets: [reader.split('.')[1] ?? ''] });
    }
  },
);

export const keyRefusals = defineScenario(
  'OPERATOR-002',
  'duplicate names, reserved or empty roles, unknown keys and non-admin operators are refused',
  async (ctx) => {
    const { project, env } = await bootstrapProject(ctx, 'basic', { prefix: 'apikeys' });
    const key = keyOf(await create(ctx, project, 'server', 'admin'));
    const duplicate = await create(ctx, project, 'server', 'admin');
    expectExit(duplicate, 1);
    assert.match(duplicate.stderr, /409 Conflict/);
    expectRows(await ctx.bridge.call('db/users/select', {}, { apiKey: key, project, env }));
    for (const roles of ['public', 'authenticated', ' , ']) {
      const refused = await create(ctx, project, `bad${roles.trim().length}`, roles);
      expectExit(refused, 1);
      assert.match(refused.stderr, /422 Unprocessable Entity/, `--roles '${roles}'`);
    }
    const names = (
      JSON.parse((await ctx.stk(['apikey', 'list', ...scope(project), '--json'])).stdout) as { name: string }[]
    ).map((item) => item.name);
    assert.deepEqual(names, ['server'], 'no refused key is listed');
    const noRoles = await ctx.stk(['apikey', 'create', ...scope(project), '--name', 'x']);
    expectExit(noRoles, 1);
    assert.match(noRoles.stderr, /^Error: missing --roles/m);
    const unknown = await ctx.stk(['apikey', 'revoke', ...scope(project), '--key-id', 'nosuch']);
    expectExit(unknown, 1);
    assert.match(unknown.stderr, /404 Not Found/);
    for (const role of ['deployer', 'viewer']) {
      const operator = await projectOperator(ctx, project, role);
      for (const args of [
        ['apikey', 'create', ...scope(project), '--name', role, '--roles', 'admin'],
        ['apikey', 'list', ...scope(project)],
        ['apikey', 'revoke', ...scope(project), '--key-id', 'server'],
      ]) {
        const denied = await ctx.stk(args, { env: operator.env });
        expectExit(denied, 1);
        assert.match(denied.stderr, /403 Forbidden \(insufficient role\)/, `${role}: ${args[1]}`);
      }
    }
    expectRows(await ctx.bridge.call('db/users/select', {}, { apiKey: key, project, env }));
    const listed = await ctx.hub.get('/api/apikeys/list', {
      token: await ctx.operatorToken(),
      query: { project, env },
    });
    expectStatus(listed, 200);
    assert.ok(!listed.text.includes(key.split('.')[1] ?? '~'), 'the Hub never shows the secret again');
  },
);
