import assert from 'node:assert/strict';
import { adminCaller, bootstrapProject, defineScenario, expectRow, expectRows } from '../kit/index.ts';

interface User {
  id: string;
  email: string;
}

/**
 * Fixture `expand_named_column`: `posts.author` references `users` as `author` (the relation has its column's
 * name) and `posts.editor_id` references `users` as `editor`. Nothing in project-files.md forbids that name.
 */
export const relationNamedLikeColumn = defineScenario(
  'CRUD-003',
  'a relation named like its own column is added even when the column list leaves that column out',
  async (ctx) => {
    const admin = await adminCaller(ctx, await bootstrapProject(ctx, 'expand_named_column'));
    const insert = async <Row>(table: string, values: Record<string, unknown>) =>
      expectRow<Row>(await ctx.bridge.call(`db/${table}/insert`, { values }, admin));
    const ann = await insert<User>('users', { email: 'ann@x.io' });
    const bob = await insert<User>('users', { email: 'bob@x.io' });
    await insert('posts', { title: 'Hello', author: ann.id, editor_id: bob.id });
    const select = async (params: Record<string, unknown>) =>
      expectRows(await ctx.bridge.call('db/posts/select', params, admin));

    // CRUD-003 rule 5: the relation is added whatever the caller's column list on this table says.
    assert.deepEqual(await select({ columns: ['title'], expand: ['author'] }), [{ title: 'Hello', author: ann }]);
    assert.deepEqual(await select({ columns: ['title'], expand: ['author', 'editor'] }), [
      { title: 'Hello', author: ann, editor: bob },
    ]);
    assert.deepEqual(
      await select({ columns: ['title'], expand: ['editor'] }),
      [{ title: 'Hello', editor: bob }],
      'a key column fetched only for the expansion is not returned',
    );
  },
);
