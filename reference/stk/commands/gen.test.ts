/** `stk gen client`: the schema → TypeScript model, the rendered file (compiled for real), and the refusals before any request. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import ts from 'typescript';
import { stk } from '../test-hub.ts';
import { camelCase, clientModel, GenError, pascalCase } from './gen-schema.ts';
import { GENERATED_BY, renderTypeScriptClient, STK_VERSION } from './gen-typescript.ts';

const column = (type: string, extra: Record<string, unknown> = {}) => ({
  type,
  nullable: false,
  unique: false,
  ...extra,
});

const SAMPLES = {
  id: { name: 'id', generate: 'auto_increment' },
  columns: {
    title: column('string'),
    count: column('int'),
    big: column('bigint'),
    ratio: column('float'),
    amount: column('decimal'),
    enabled: column('boolean'),
    payload: column('json'),
    happened_at: column('timestamp'),
    blob: column('bytes'),
    avatar: column('file', { bucket: 'main' }),
    tags: column('array', { items: 'string' }),
    matrix: column('array<int>'),
    grid: column('array', { items: 'array<float>' }),
    optional_amount: column('decimal', { nullable: true }),
    note: column('string', { default: 'none' }),
  },
};
const RELEASE = {
  release_id: 'rel_test_1',
  schema: {
    tables: {
      samples: SAMPLES,
      user_profiles: {
        id: { name: 'handle', generate: 'client' },
        columns: { bio: column('string', { nullable: true }) },
      },
    },
  },
};

const render = (release: unknown) => renderTypeScriptClient(clientModel(release));
const genError = (release: unknown) => assert.throws(() => clientModel(release), GenError) as unknown;
function failure(release: unknown): string {
  try {
    clientModel(release);
  } catch (error) {
    if (error instanceof GenError) return error.message;
    throw error;
  }
  throw new Error('expected a GenError');
}
const withColumns = (columns: Record<string, unknown>) => ({
  release_id: 'r',
  schema: { tables: { broken: { id: { generate: 'ulid' }, columns } } },
});

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stk-gen-test-'));
  dirs.push(dir);
  return dir;
}

describe('stk gen client: schema to TypeScript', () => {
  test('every documented type, nullability and arrays map as SDK-002 says', () => {
    const [samples] = clientModel(RELEASE).tables.filter((table) => table.name === 'samples');
    const row = Object.fromEntries((samples?.row ?? []).map((field) => [field.name, field.ts]));
    assert.deepEqual(row, {
      id: 'string',
      title: 'string',
      count: 'number',
      big: 'string',
      ratio: 'number',
      amount: 'string',
      enabled: 'boolean',
      payload: 'unknown',
      happened_at: 'string',
      blob: 'string',
      avatar: 'string',
      tags: 'string[]',
      matrix: 'number[]',
      grid: 'number[][]',
      optional_amount: 'string | null',
      note: 'string',
    });
    assert.deepEqual(
      samples?.row.map((field) => field.name).slice(0, 3),
      ['id', 'amount', 'avatar'],
      'primary key first, then byte order',
    );
  });

  test('inserts leave out generated ids, require client ids, and make nullable or defaulted columns optional', () => {
    const [samples, profiles] = clientModel(RELEASE).tables;
    assert.equal(
      samples?.insert.some((field) => field.name === 'id'),
      false,
    );
    assert.deepEqual(
      samples?.insert.filter((field) => field.optional).map((field) => field.name),
      ['note', 'optional_amount'],
    );
    assert.deepEqual(
      profiles?.insert.map((field) => [field.name, field.optional]),
      [
        ['handle', false],
        ['bio', true],
      ],
    );
  });

  test('names: PascalCase types, camelCase accessors plus the table name when they differ', () => {
    assert.deepEqual(
      [pascalCase('user_profiles'), camelCase('user_profiles'), pascalCase('a-b c'), camelCase('users')],
      ['UserProfiles', 'userProfiles', 'ABC', 'users'],
    );
    const source = render(RELEASE);
    for (const line of [
      'export interface UserProfilesRow {',
      'export interface SamplesInsert {',
      'readonly userProfiles: UserProfilesTable;',
      'readonly user_profiles: UserProfilesTable;',
    ]) {
      assert.ok(source.includes(line), line);
    }
    assert.match(failure({ schema: { tables: { a_b: {}, a__b: {} } } }), /^tables 'a__b' and 'a_b' both generate AB$/);
    assert.match(failure({ schema: { tables: { '9lives': {} } } }), /gives no TypeScript type name/);
  });

  test('an unknown type, an array without items or a missing schema stops generation with the names', () => {
    assert.equal(
      failure(withColumns({ mystery: column('uuidish') })),
      "unknown schema type 'uuidish' for column 'mystery' of table 'broken'",
    );
    assert.equal(
      failure(withColumns({ deep: column('array<uuidish>') })),
      "unknown schema type 'uuidish' for column 'deep' of table 'broken'",
    );
    assert.equal(
      failure(withColumns({ alias: column('integer') })),
      "unknown schema type 'integer' for column 'alias' of table 'broken'",
      'only the documented names',
    );
    assert.equal(
      failure(withColumns({ constructor: column('toString') })),
      "unknown schema type 'toString' for column 'constructor' of table 'broken'",
    );
    assert.equal(
      failure(withColumns({ list: column('array') })),
      "array column 'list' of table 'broken' is missing items",
    );
    assert.equal(failure(withColumns({ bare: {} })), "column 'bare' of table 'broken' has no type");
    genError({ release_id: 'r' });
    assert.equal(failure({ schema: {} }), 'release schema.tables is missing');
  });

  test('the header carries the release id and stk version; the output is deterministic', () => {
    const source = render(RELEASE);
    assert.deepEqual(source.split('\n').slice(2, 7), [
      '// releaseId: rel_test_1',
      `// generatedBy: ${GENERATED_BY}`,
      '',
      'export const releaseId = "rel_test_1";',
      'export const generatedBy = "stk@0.1.0";',
    ]);
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    assert.equal(STK_VERSION, manifest.version);
    const reversed = {
      ...RELEASE,
      schema: { tables: Object.fromEntries(Object.entries(RELEASE.schema.tables).reverse()) },
    };
    assert.equal(render(reversed), source);
    assert.ok(
      render({ release_id: 'r"\n', schema: { tables: {} } }).includes('export const releaseId = "r\\"\\n";'),
      'the id is a JSON string',
    );
  });
});

describe('stk gen client: the file compiles', () => {
  test('strictest settings, with a usage file; wrong types in the usage file are compile errors', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'client.ts'), render(RELEASE));
    writeFileSync(join(dir, 'empty.ts'), render({ release_id: 'r', schema: { tables: {} } }));
    writeFileSync(
      join(dir, 'use.ts'),
      [
        "import { createClient, type SamplesInsert } from './client.ts';",
        "const client = createClient({ bridgeUrl: 'http://127.0.0.1:1', apiKey: 'k' });",
        "const ok: SamplesInsert = { title: 't', count: 1, big: '1', ratio: 1.5, amount: '1.50', enabled: true, payload: { a: 1 }, happened_at: 'x', blob: 'AA==', avatar: 'k', tags: [], matrix: [1], grid: [[1.5]] };",
        'export const rows = client.db.samples.insert(ok).then((inserted) => inserted.map((row) => row.optional_amount));',
        "const wrong: SamplesInsert = { ...ok, count: '1' };",
        'export const ghost = client.db.ghosts;',
        'export { wrong };',
      ].join('\n'),
    );
    const options: ts.CompilerOptions = {
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      noImplicitReturns: true,
      noPropertyAccessFromIndexSignature: true,
      noImplicitOverride: true,
      verbatimModuleSyntax: true,
      erasableSyntaxOnly: true,
      allowImportingTsExtensions: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
      noEmit: true,
    };
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    const program = ts.createProgram([join(dir, 'client.ts'), join(dir, 'empty.ts'), join(dir, 'use.ts')], options);
    const where = (d: ts.Diagnostic) =>
      d.file
        ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
        : '';
    const problems = ts.getPreEmitDiagnostics(program).map((d) => `${where(d)} TS${d.code}`);
    assert.deepEqual(problems, ['use.ts:5 TS2322', 'use.ts:6 TS2339'], 'only the two planted errors');
  });
});

interface StubClient {
  db: Record<
    string,
    { update(where: object, data: object): Promise<unknown[]>; insert(data: object | object[]): Promise<unknown[]> }
  >;
}

/** The rendered file as JavaScript, run against a stub fetch: for the paths the real Bridge never takes. */
async function runWithStub(answers: unknown[]): Promise<{ client: StubClient; bodies: unknown[] }> {
  const dir = tempDir();
  const js = ts.transpileModule(render(RELEASE), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  writeFileSync(join(dir, 'client.mjs'), js);
  const sdk = (await import(pathToFileURL(join(dir, 'client.mjs')).href)) as {
    createClient(options: object): StubClient;
  };
  const bodies: unknown[] = [];
  const fetch = async (_url: string, init: { body: string }) => {
    bodies.push(JSON.parse(init.body));
    return new Response(JSON.stringify(answers.shift()), { status: 200 });
  };
  return { client: sdk.createClient({ bridgeUrl: 'http://bridge.invalid/', apiKey: 'k', fetch }), bodies };
}

describe('stk gen client: the runtime against a Bridge that answers counts', () => {
  test('update reads the rows back when the answer is only affected; none for 0; inserts go one row per request', async () => {
    const rows = [{ id: '1', note: 'x' }];
    const { client, bodies } = await runWithStub([
      { data: { affected: 1 } },
      { data: rows },
      { data: { affected: 0 } },
      { data: { id: '1' } },
      { data: { id: '2' } },
    ]);
    const samples = client.db.samples;
    assert.ok(samples);
    assert.deepEqual(
      await samples.update(
        { note: 'old', count: { $gt: 1 }, tags: ['a'] },
        { note: 'x', payload: { a: 1 }, tags: ['b'] },
      ),
      rows,
    );
    assert.deepEqual(
      bodies[1],
      { path: 'db/samples/select', params: { where: { note: 'x', count: { $gt: 1 } }, limit: 1 } },
      'scalar data replaces the filter, object and array data drop it',
    );
    assert.deepEqual(await samples.update({ note: 'none' }, { note: 'y' }), []);
    assert.equal(bodies.length, 3, 'no read-back after 0 rows');
    assert.deepEqual(await samples.insert([{ title: 'a' }, { title: 'b' }]), [{ id: '1' }, { id: '2' }]);
    assert.deepEqual(bodies.slice(3), [
      { path: 'db/samples/insert', params: { values: { title: 'a' } } },
      { path: 'db/samples/insert', params: { values: { title: 'b' } } },
    ]);
  });
});

describe('stk gen client: refusals before any request', () => {
  test('flags in order, an unknown language, an unreachable Hub; no file is written', async () => {
    const dir = tempDir();
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const env = { STK_HUB_URL: `http://127.0.0.1:${port}`, STK_AUTH_TOKEN: 't' };
    const cases: [string[], string][] = [
      [['gen', 'client', '--output', 'x.ts', '--project', 'p'], 'Error: missing --lang'],
      [['gen', 'client', '--lang', 'python', '--project', 'p'], 'Error: unsupported language: python'],
      [['gen', 'client', '--lang', 'typescript', '--project', 'p'], 'Error: missing --output'],
      [['gen', 'client', '--lang', 'typescript', '--output', 'x.ts'], 'Error: missing --project'],
      [
        ['gen', 'client', '--lang', 'typescript', '--output', 'x.ts', '--project', 'p'],
        `Error: failed to load current release for p/dev: error sending request for url (http://127.0.0.1:${port}/api/releases/current)`,
      ],
    ];
    const results = await Promise.all(cases.map(([args]) => stk(args, env, dir)));
    results.forEach((result, index) => {
      assert.equal(result.code, 1, result.stderr);
      assert.equal(result.stderr.split('\n')[0], cases[index]?.[1]);
      assert.equal(result.stdout, '');
    });
    assert.equal(existsSync(join(dir, 'x.ts')), false);
  });
});
