import assert from 'node:assert/strict';
import { bootstrapProject, createApiKey, defineScenario } from '../kit/index.ts';
import type { ScenarioContext } from '../kit/index.ts';
import { compileStrict, generateClient, loadClient, type Row, type SdkModule, type SdkTable } from './sdk-client.ts';
import { expectSdkFailure, recordingFetch, type RecordingFetch } from './sdk-fetch.ts';

/** Calls with every parameter the methods take; must compile clean. */
const USAGE = [
  "import { createClient, type PostsRow } from './client.ts';",
  "const client = createClient({ bridgeUrl: 'http://127.0.0.1:1', apiKey: 'k' });",
  'export async function use(authorId: string): Promise<PostsRow[]> {',
  "  const [author] = await client.db.authors.insert({ handle: 'h', name: null });",
  "  await client.db.posts.insert([{ title: 'a', author_id: author?.id ?? null }, { title: 'b', status: 'draft' }]);",
  "  const page = await client.db.posts.select({ where: { author_id: authorId }, orderBy: { title: 'desc' }, limit: 1, offset: 1, expand: ['author'] });",
  "  const updated = await client.db.posts.update({ status: 'draft' }, { status: 'published' });",
  '  const removed: { affected: number } = await client.db.posts.delete({ author_id: authorId });',
  '  await client.db.userProfiles.select();',
  "  await client.db.user_profiles.insert({ handle: 'me' });",
  '  return removed.affected > 0 ? page : updated;',
  '}',
].join('\n');

/** One planted error per line after the first two. */
const WRONG: readonly [string, string][] = [
  ["import { createClient } from './client.ts';", ''],
  ["const client = createClient({ bridgeUrl: 'http://127.0.0.1:1', apiKey: 'k' });", ''],
  ['export const ghost = client.db.ghosts;', 'TS2339'],
  ["export const sideways = client.db.posts.select({ orderBy: { title: 'sideways' } });", 'TS2322'],
  ["export const badData = client.db.posts.update({ id: '1' }, { title: 3 });", 'TS2322'],
  ["export const badWhere = client.db.authors.delete({ karma: 'high' });", 'TS2322'],
];

/** An admin client of a fresh `sdk_app` project whose every request is recorded, after the compile checks of USAGE and WRONG. */
async function adminClient(ctx: ScenarioContext) {
  const bootstrapped = await bootstrapProject(ctx, 'sdk_app');
  const generated = await generateClient(ctx, bootstrapped.project, bootstrapped.env);
  const compiled = await compileStrict(
    ctx,
    generated.dir,
    { 'usage.ts': USAGE, 'wrong.ts': WRONG.map(([line]) => line).join('\n') },
    ['client.ts', 'usage.ts', 'wrong.ts'],
  );
  const expected = WRONG.flatMap(([, code], index) => (code === '' ? [] : [`wrong.ts:${index + 1} ${code}`]));
  assert.deepEqual(
    compiled.errors.map((error) => `${error.file}:${error.line} ${error.code}`),
    expected,
    'exactly the planted errors; client.ts and usage.ts compile clean',
  );
  const sdk = await loadClient(compiled);
  const recorded = recordingFetch(ctx);
  const apiKey = await createApiKey(ctx, bootstrapped.project, bootstrapped.env, 'admin');
  const db = sdk.createClient({ bridgeUrl: ctx.stack.bridgeUrl, apiKey, fetch: recorded.fetch }).db;
  return {
    ...bootstrapped,
    sdk,
    recorded,
    db,
    table: (name: string): SdkTable => db[name] ?? assert.fail(`db.${name} exists`),
  };
}

const paths = (recorded: RecordingFetch, from: number) =>
  recorded.sent.slice(from).map((sent) => `${sent.method} ${new URL(sent.url).pathname} ${sent.body.path ?? ''}`);

export const crudRoundTrip = defineScenario(
  'SDK-003',
  'insert one and many, select with every parameter, update returning the updated rows, delete returning affected; unknown tables do not compile',
  async (ctx) => {
    const { recorded, table, database, db } = await adminClient(ctx);
    const authors = table('authors');
    const posts = table('posts');
    const [ada] = await authors.insert({ handle: 'ada', name: 'Ada' });
    assert.match(String(ada?.id), /^[0-9A-HJKMNP-TV-Z]{26}$/, 'the Bridge generated the ulid');
    assert.deepEqual(paths(recorded, 0), ['POST /call db/authors/insert']);
    const many = await posts.insert([
      { title: 'one', author_id: ada?.id },
      { title: 'two', author_id: ada?.id },
      { title: 'three' },
    ]);
    assert.deepEqual(
      many.map((row) => [row.id, row.title, row.status]),
      [
        ['1', 'one', 'draft'],
        ['2', 'two', 'draft'],
        ['3', 'three', 'draft'],
      ],
    );
    assert.deepEqual(paths(recorded, 1), Array(3).fill('POST /call db/posts/insert'), 'one request per row');
    assert.deepEqual(await ctx.db.query(database.name, 'SELECT count(*)::int AS n FROM posts'), [{ n: 3 }]);

    const page = await posts.select({
      where: { author_id: ada?.id },
      orderBy: { title: 'desc' },
      limit: 1,
      offset: 1,
      expand: ['author'],
    });
    assert.deepEqual(
      page.map((row: Row) => [row.title, (row.author as Row | undefined)?.handle]),
      [['one', 'ada']],
      'second by title descending, author expanded',
    );
    assert.deepEqual(recorded.sent.at(-1)?.body, {
      path: 'db/posts/select',
      params: { where: { author_id: ada?.id }, orderBy: { title: 'desc' }, limit: 1, offset: 1, expand: ['author'] },
    });

    const before = recorded.sent.length;
    const published = await posts.update({ status: 'draft', author_id: ada?.id }, { status: 'published' });
    assert.deepEqual(
      published.map((row) => [row.id, row.status]),
      [
        ['1', 'published'],
        ['2', 'published'],
      ],
      'the rows as the Bridge answered them after the update',
    );
    assert.deepEqual(
      paths(recorded, before),
      ['POST /call db/posts/update'],
      'one request: the Bridge answers the updated rows',
    );
    assert.deepEqual(await posts.update({ title: 'nothing' }, { status: 'x' }), [], 'nothing matched: no rows');

    assert.deepEqual(await posts.delete({ author_id: ada?.id }), { affected: 2 });
    assert.deepEqual(await ctx.db.query(database.name, 'SELECT title FROM posts'), [{ title: 'three' }]);
    assert.deepEqual(await table('userProfiles').insert({ handle: 'me', bio: 'hi' }), [{ handle: 'me', bio: 'hi' }]);
    assert.deepEqual(
      await table('user_profiles').select(),
      [{ handle: 'me', bio: 'hi' }],
      'both keys reach user_profiles',
    );
    assert.equal(db.ghosts, undefined, 'no member for a table outside the schema');
  },
);

export const bridgeRefusals = defineScenario(
  'SDK-003',
  "forbidden writes, the where gate and unknown columns are the Bridge's answers, rejected as SantokitError; nothing changes",
  async (ctx) => {
    const { recorded, table, database, sdk, project, env } = await adminClient(ctx);
    const authors = table('authors');
    await authors.insert({ handle: 'ada' });
    const reader = readerTable(
      sdk,
      ctx.stack.bridgeUrl,
      await createApiKey(ctx, project, env, 'reader', 'reader'),
      recorded,
    );
    await expectSdkFailure(sdk, recorded, () => reader.insert({ handle: 'eve' }), 'FORBIDDEN', 403);
    for (const attempt of [() => authors.update({}, { name: 'x' }), () => authors.delete({})])
      await expectSdkFailure(sdk, recorded, attempt, 'BAD_REQUEST', 400);
    const badWhere = () => authors.select({ where: { shoe_size: 1 } });
    await expectSdkFailure(sdk, recorded, badWhere, 'SCHEMA_VALIDATION_FAILED', 400);
    assert.deepEqual(
      await ctx.db.query(database.name, 'SELECT handle, name FROM authors'),
      [{ handle: 'ada', name: null }],
      'nothing written or changed',
    );
  },
);

function readerTable(sdk: SdkModule, bridgeUrl: string, apiKey: string, recorded: RecordingFetch): SdkTable {
  return sdk.createClient({ bridgeUrl, apiKey, fetch: recorded.fetch }).db.authors ?? assert.fail('db.authors exists');
}
