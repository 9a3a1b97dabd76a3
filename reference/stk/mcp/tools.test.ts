/** The tools on a release snapshot, the redactor, and the line transport (no Hub: the scenarios drive the real one). */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { LineTransport } from './line-transport.ts';
import { createRedactor, REDACTED } from './redact.ts';
import type { ReleaseSnapshot } from './release-source.ts';
import { logicGet, logicList } from './logic-tools.ts';
import { permissionsGetTable, schemaGetTable, schemaListTables } from './schema-tools.ts';
import { ToolError } from './tool-error.ts';
import { checkArguments, findTool, listedTools } from './tools.ts';

const RELEASE: ReleaseSnapshot = {
  releaseId: 'r1',
  ref: 'v1',
  createdAt: '2026-12-01T00:00:00.000Z',
  schema: {
    tables: {
      users: {
        connection: 'main',
        id: { name: 'uid', generate: 'auto_increment' },
        columns: { email: { type: 'string', nullable: false }, bio: { type: 'string', nullable: true } },
      },
      posts: {
        id: { name: 'id', generate: 'ulid' },
        columns: { user_id: { type: 'int', references: { table: 'users', as: 'author' } }, title: { type: 'string' } },
      },
    },
  },
  permissions: {
    tables: {
      users: {
        select: [
          { roles: ['admin'], columns: ['*'] },
          { roles: ['basic'], condition: 'resource.uid == auth.sub' },
        ],
        delete: { roles: ['admin'] },
      },
    },
  },
  logics: {
    hello:
      '---\nauth: public\nparams:\n  greeting: { type: string, default: hi }\n  times: { type: int, required: true }\n---\nSELECT :greeting AS greeting\n',
    'admin/stats': '---\nroles: [admin]\n---\nSELECT 1\n',
    plain: 'SELECT 2',
  },
};

function rpcCode(run: () => unknown): number {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ToolError, String(error));
    return error.code;
  }
  assert.fail('expected a ToolError');
}

describe('mcp tools', () => {
  test('schema: tables sorted with their connection; a table with its key, columns and foreign keys', () => {
    assert.deepEqual(schemaListTables(RELEASE), {
      tables: [
        { name: 'posts', connection: 'main' },
        { name: 'users', connection: 'main' },
      ],
    });
    const posts = schemaGetTable(RELEASE, 'posts');
    assert.deepEqual(posts.primaryKey, { name: 'id', type: 'string' });
    assert.deepEqual(
      posts.columns.map((column) => [column.name, column.type, column.nullable]),
      [
        ['id', 'string', false],
        ['title', 'string', false],
        ['user_id', 'int', false],
      ],
    );
    assert.deepEqual(posts.foreignKeys, [{ column: 'user_id', references: { table: 'users', column: 'uid' } }]);
    assert.deepEqual(schemaGetTable(RELEASE, 'users').primaryKey, { name: 'uid', type: 'bigint' });
    assert.equal(
      rpcCode(() => schemaGetTable(RELEASE, 'ghosts')),
      -32004,
    );
    assert.equal(
      rpcCode(() => schemaGetTable(RELEASE, 'constructor')),
      -32004,
    );
  });

  test('permissions: every operation, rules in file order with allow, condition and columns only when declared', () => {
    const { rules } = permissionsGetTable(RELEASE, 'users');
    assert.deepEqual(rules, {
      select: [
        { roles: ['admin'], allow: true, columns: ['*'] },
        { roles: ['basic'], allow: true, condition: 'resource.uid == auth.sub' },
      ],
      insert: [],
      update: [],
      delete: [{ roles: ['admin'], allow: true }],
    });
    assert.deepEqual(permissionsGetTable(RELEASE, 'posts').rules.select, []);
    assert.equal(
      rpcCode(() => permissionsGetTable(RELEASE, 'ghosts')),
      -32004,
    );
  });

  test('logics: names sorted; SQL after the front-matter, params in declared order, auth', () => {
    assert.deepEqual(logicList(RELEASE), { logics: ['admin/stats', 'hello', 'plain'] });
    assert.deepEqual(logicGet(RELEASE, 'hello'), {
      name: 'hello',
      sql: 'SELECT :greeting AS greeting',
      params: [
        { name: 'greeting', type: 'string', required: false },
        { name: 'times', type: 'int', required: true },
      ],
      auth: { required: false, roles: [] },
    });
    assert.deepEqual(logicGet(RELEASE, 'admin/stats').auth, { required: true, roles: ['admin'] });
    assert.equal(logicGet(RELEASE, 'plain').sql, 'SELECT 2');
    assert.equal(
      rpcCode(() => logicGet(RELEASE, 'nope')),
      -32004,
    );
  });

  test('input schemas are closed; arguments are checked against them', () => {
    for (const tool of listedTools()) assert.equal(tool.inputSchema.additionalProperties, false, tool.name);
    const getTable = findTool('schema_get_table');
    assert.ok(getTable);
    assert.equal(
      rpcCode(() => checkArguments(getTable, {})),
      -32602,
    );
    assert.equal(
      rpcCode(() => checkArguments(getTable, { table: 3 })),
      -32602,
    );
    assert.equal(
      rpcCode(() => checkArguments(getTable, { table: 'users', extra: 1 })),
      -32602,
    );
    checkArguments(getTable, { table: 'users' });
  });
});

describe('redaction', () => {
  test('secret members by name, secret-shaped strings and the known token, at any depth', () => {
    const redactor = createRedactor(['my-operator-token-value']);
    const out = redactor.value({
      db_url: 'x',
      Authorization: 'y',
      nested: [
        {
          api_key: 'k',
          sql: 'SELECT 1 -- postgresql://u:p@h/db',
          note: 'Bearer abc',
          token: 'v4.local.AAAAAAAAAAAA',
          key: 'sk_live_1',
          mine: 'has my-operator-token-value inside',
        },
      ],
      keep: 'releaseId r1',
    });
    assert.deepEqual(out, {
      db_url: REDACTED,
      Authorization: REDACTED,
      nested: [{ api_key: REDACTED, sql: REDACTED, note: REDACTED, token: REDACTED, key: REDACTED, mine: REDACTED }],
      keep: 'releaseId r1',
    });
  });
});

describe('line transport', () => {
  test('answers bad lines, fills a bare initialize, and closes at end of input only after pending answers', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const transport = new LineTransport(input, output);
    const received: unknown[] = [];
    let closed = false;
    transport.onmessage = (message) => received.push(message);
    transport.onclose = () => (closed = true);
    await transport.start();
    input.write('not json\n\n{"jsonrpc":"2.0","id":4}\n{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}\n');
    input.end();
    await new Promise((resolve) => setImmediate(resolve));
    const lines = String(output.read() ?? '')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: unknown; error: { code: number } });
    assert.deepEqual(
      lines.map((line) => [line.id, line.error.code]),
      [
        [null, -32700],
        [4, -32600],
      ],
    );
    assert.deepEqual((received[0] as { params: { protocolVersion: string } }).params.protocolVersion, '2024-11-05');
    assert.equal(closed, false, 'request 1 is still unanswered');
    await transport.send({ jsonrpc: '2.0', id: 1, result: {} });
    assert.equal(closed, true);
  });
});
