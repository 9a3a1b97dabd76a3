import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bareProject,
  bootstrapProject,
  defineScenario,
  expectError,
  expectExit,
  expectStatus,
  hubCurrentRelease,
  readProjectFolder,
  signUpOperator,
} from '../kit/index.ts';
import type { ScenarioContext } from '../kit/index.ts';
import { compileClean, genClient, sdkFolder } from './sdk-client.ts';

interface TableIr {
  readonly id: { readonly name: string; readonly generate: string };
  readonly columns: Readonly<Record<string, unknown>>;
}

/** The schema IR of the current release, as the Hub serves it to a viewer. */
async function schemaOf(ctx: ScenarioContext, project: string, env: string): Promise<Record<string, TableIr>> {
  const response = await ctx.hub.get('/api/releases/current', {
    query: { project, env, include: 'schema' },
    token: await ctx.operatorToken(),
  });
  expectStatus(response, 200, 'current release with its schema');
  return (response.json as { schema: { tables: Record<string, TableIr> } }).schema.tables;
}

/** Field names of `export interface <name> { … }` in order, `?` kept. */
function interfaceFields(source: string, name: string): string[] {
  const body = new RegExp(`^export interface ${name} \\{\\n([\\s\\S]*?)\\n\\}$`, 'm').exec(source)?.[1];
  assert.ok(body !== undefined, `the file declares interface ${name}`);
  return body.split('\n').map((line) => /^ {2}(\w+\??):/.exec(line)?.[1] ?? `?? ${line}`);
}

const pascal = (name: string) =>
  name
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** Every table of the IR has its Row (id first, then columns in byte order) and Insert (no generated id) interfaces. */
function expectTypesOfIr(source: string, tables: Readonly<Record<string, TableIr>>): void {
  for (const [table, ir] of Object.entries(tables)) {
    const columns = Object.keys(ir.columns).sort();
    assert.deepEqual(
      interfaceFields(source, `${pascal(table)}Row`).map((field) => field.replace('?', '')),
      [ir.id.name, ...columns],
      `${table}: row fields`,
    );
    const insertNames = interfaceFields(source, `${pascal(table)}Insert`).map((field) => field.replace('?', ''));
    assert.deepEqual(
      insertNames,
      ir.id.generate === 'client' ? [ir.id.name, ...columns] : columns,
      `${table}: insert fields`,
    );
    assert.ok(
      source.includes(`: new TableApi<${pascal(table)}Row, ${pascal(table)}Insert>(call, ${JSON.stringify(table)}),`),
      `${table}: a db entry`,
    );
  }
}

/**
 * Six `stk` starts each: under compose every one is a `docker exec` into the
 * cli container, which took 14 to 25 s on this 2-core machine under load
 * (measured), so the default 60 s does not fit.
 */
const STK_HEAVY = { timeoutMs: 180_000 };

export const generatesFromCurrentRelease = defineScenario(
  'SDK-001',
  'one TypeScript file from the current release: header, types per table, client entry; reproducible, and new after a new release',
  async (ctx) => {
    const { project, env } = await bootstrapProject(ctx, 'sdk_app');
    const releaseId = await hubCurrentRelease(ctx, project, env);
    const dir = sdkFolder(ctx);
    const generated = await genClient(ctx, dir, project, env, { output: 'src/generated/client.ts' });
    expectExit(generated, 0);
    assert.equal(generated.stdout, 'generated src/generated/client.ts\n', 'the path is printed as given');
    const source = readFileSync(join(dir, 'src/generated/client.ts'), 'utf8');
    const top = source.split('\n').slice(0, 8);
    assert.ok(
      top.includes(`// releaseId: ${releaseId}`) &&
        top.includes(`export const releaseId = ${JSON.stringify(releaseId)};`),
      `the header names the release:\n${top.join('\n')}`,
    );
    assert.ok(
      top.some((line) => /^export const generatedBy = "stk@\d+\.\d+\.\d+";$/.test(line)) &&
        top.some((line) => /^\/\/ generatedBy: stk@\d+\.\d+\.\d+$/.test(line)),
      'the header names the generator',
    );
    expectTypesOfIr(source, await schemaOf(ctx, project, env));
    assert.match(
      source,
      /^ {2}readonly db: \{\n {4}readonly authors: AuthorsTable;\n {4}readonly notes: NotesTable;\n {4}readonly posts: PostsTable;\n {4}readonly userProfiles: UserProfilesTable;\n {4}readonly user_profiles: UserProfilesTable;\n {2}\};$/m,
    );
    await compileClean(ctx, join(dir, 'src/generated'), {}, ['client.ts']);

    const again = await ctx.stk(['gen', 'client', '--lang', 'typescript', '--output', 'again.ts'], {
      cwd: dir,
      env: { STK_PROJECT: project, STK_ENV: env },
    });
    expectExit(again, 0);
    assert.equal(
      readFileSync(join(dir, 'again.ts'), 'utf8'),
      source,
      'STK_PROJECT/STK_ENV stand in for the flags; the same release gives the same bytes',
    );

    const v2 = { project, env, ref: 'v2', force: true, ...readProjectFolder(ctx.fixture('sdk_app_v2')) };
    expectStatus(await ctx.hub.post('/api/apply', v2, { token: await ctx.operatorToken() }), 200, 'apply sdk_app_v2');
    const newRelease = await hubCurrentRelease(ctx, project, env);
    assert.notEqual(newRelease, releaseId);
    writeFileSync(join(dir, 'again.ts'), 'stale\n');
    expectExit(await genClient(ctx, dir, project, env, { output: 'again.ts' }), 0);
    const renewed = readFileSync(join(dir, 'again.ts'), 'utf8');
    assert.ok(
      renewed.includes(`export const releaseId = ${JSON.stringify(newRelease)};`),
      'the existing file is replaced with the new release',
    );
    expectTypesOfIr(renewed, await schemaOf(ctx, project, env));
    assert.ok(
      !renewed.includes('UserProfiles') && renewed.includes('export interface CommentsRow {'),
      'dropped and added tables follow the release',
    );
  },
  STK_HEAVY,
);

export const refusesWithoutRelease = defineScenario(
  'SDK-001',
  'no current release, an unknown env, no or a foreign operator, an unreachable Hub or an unwritable path: exit 1 with the cause, no file',
  async (ctx) => {
    const project = await bareProject(ctx, 'sdkbare');
    const dir = sdkFolder(ctx);
    const refused = async (options: Parameters<typeof genClient>[4], env: string, stderr: string) => {
      const result = await genClient(ctx, dir, project, env, options);
      expectExit(result, 1);
      assert.equal(result.stderr.split('\n')[0], stderr);
      assert.equal(result.stdout, '');
    };
    const prefix = `Error: failed to load current release for ${project}`;
    await refused({}, 'dev', `${prefix}/dev: 404 Not Found (no current release)`);
    await refused({}, 'nosuch', `${prefix}/nosuch: 404 Not Found (env not found)`);
    await refused(
      { stkEnv: { STK_AUTH_TOKEN: '' } },
      'dev',
      `${prefix}/dev: 401 Unauthorized (operator auth required)`,
    );
    const stranger = await signUpOperator(ctx, 'stranger');
    await refused({ stkEnv: stranger.env }, 'dev', `${prefix}/dev: 403 Forbidden (insufficient role)`);
    await refused(
      { stkEnv: { STK_HUB_URL: 'http://127.0.0.1:9' } },
      'dev',
      `${prefix}/dev: error sending request for url (http://127.0.0.1:9/api/releases/current)`,
    );
    assert.equal(existsSync(join(dir, 'client.ts')), false, 'no file is written');

    const { project: ready, env } = await bootstrapProject(ctx, 'basic');
    // Point 2: `include` names parts of the content; connections are never one, any other name is a 400,
    // and the message stays a short sentence (errors.md) however long the name sent.
    const token = await ctx.operatorToken();
    for (const include of ['connections', 'schema,connections', 'x'.repeat(1000)]) {
      const response = await ctx.hub.get('/api/releases/current', { token, query: { project: ready, env, include } });
      const { message } = expectError(response, 400, 'BAD_REQUEST');
      assert.ok(message.length < 300, `a short message for include=${include.slice(0, 20)}: ${message.length}`);
    }
    writeFileSync(join(dir, 'blocker'), 'a file where a folder is needed\n');
    const unwritable = await genClient(ctx, dir, ready, env, { output: 'blocker/client.ts' });
    expectExit(unwritable, 1);
    assert.match(
      unwritable.stderr,
      /^Error: cannot write blocker\/client\.ts: E[A-Z]+: /,
      'the system error follows the path',
    );
    assert.equal(readFileSync(join(dir, 'blocker'), 'utf8'), 'a file where a folder is needed\n');
  },
  STK_HEAVY,
);

export const refusesBadFlags = defineScenario(
  'SDK-001',
  'a missing --lang, --output or --project, or a language other than typescript, fails before any request',
  async (ctx) => {
    const dir = sdkFolder(ctx);
    // A Hub that cannot be reached: any request would change the error.
    const env = { STK_HUB_URL: 'http://127.0.0.1:9' };
    const cases: [string[], string][] = [
      [['--output', 'x.ts', '--project', 'p'], 'Error: missing --lang'],
      [['--lang', 'python', '--output', 'x.ts', '--project', 'p'], 'Error: unsupported language: python'],
      [['--lang', 'typescript', '--project', 'p'], 'Error: missing --output'],
      [['--lang', 'typescript', '--output', 'x.ts'], 'Error: missing --project'],
    ];
    for (const [args, stderr] of cases) {
      const result = await ctx.stk(['gen', 'client', ...args], { cwd: dir, env });
      expectExit(result, 1);
      assert.equal(result.stderr.split('\n')[0], stderr, args.join(' '));
    }
    assert.equal(existsSync(join(dir, 'x.ts')), false);
  },
);
