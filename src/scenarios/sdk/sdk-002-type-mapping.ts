import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bootstrapProject,
  createApiKey,
  defineScenario,
  expectExit,
  expectStatus,
  readProjectFolder,
  SAMPLE_ROW,
} from '../kit/index.ts';
import { compileStrict, generateClient, genClient, loadClient, sdkFolder } from './sdk-client.ts';

/** Compiles only when A and B are the same type (optional and readonly modifiers included). */
const EQUAL = 'type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;';

const TYPES_CHECK = [
  "import type { SamplesInsert, SamplesRow } from './client.ts';",
  EQUAL,
  'export const rowIsExact: Equal<SamplesRow, {',
  '  id: string; amount: string; avatar: string; big: string; blob: string; count: number; enabled: boolean; happened_at: string;',
  '  matrix: number[]; note: string; optional_amount: string | null; payload: unknown; ratio: number; tags: string[]; title: string;',
  '}> = true;',
  'export const insertIsExact: Equal<SamplesInsert, {',
  '  amount: string; avatar: string; big: string; blob: string; count: number; enabled: boolean; happened_at: string;',
  '  matrix: number[]; note?: string; optional_amount?: string | null; payload: unknown; ratio: number; tags: string[]; title: string;',
  '}> = true;',
].join('\n');

const VALID =
  "{ title: 't', count: 1, big: '1', ratio: 0.5, amount: '1.5', enabled: true, payload: null, happened_at: 'x', blob: '', avatar: 'k', tags: [], matrix: [] }";

/** One planted error per line (line numbers count from 1); every other file must compile clean. */
const WRONG: readonly [string, string][] = [
  ["import type { SamplesInsert } from './client.ts';", ''],
  [`const valid: SamplesInsert = ${VALID};`, ''],
  ["export const countAsText: SamplesInsert = { ...valid, count: '1' };", 'TS2322'],
  ['export const decimalAsNumber: SamplesInsert = { ...valid, amount: 1.5 };', 'TS2322'],
  ['export const bigintAsNumber: SamplesInsert = { ...valid, big: 2 };', 'TS2322'],
  ['export const dateObject: SamplesInsert = { ...valid, happened_at: new Date() };', 'TS2322'],
  ["export const generatedId: SamplesInsert = { ...valid, id: '7' };", 'TS2353'],
  [
    "export const missingTitle: SamplesInsert = { count: 1, big: '1', ratio: 0.5, amount: '1.5', enabled: true, payload: null, happened_at: 'x', blob: '', avatar: 'k', tags: [], matrix: [] };",
    'TS2741',
  ],
];

export const documentedMapping = defineScenario(
  'SDK-002',
  'every schema type has its documented TypeScript type, checked by tsc, and a row of every type makes the round trip in that form',
  async (ctx) => {
    const { project, env, database } = await bootstrapProject(ctx, 'sdk_type_mapping');
    const generated = await generateClient(ctx, project, env);
    const files = { 'types-check.ts': TYPES_CHECK, 'wrong.ts': WRONG.map(([line]) => line).join('\n') };
    const compiled = await compileStrict(ctx, generated.dir, files, ['client.ts', 'types-check.ts', 'wrong.ts']);
    const expected = WRONG.flatMap(([, code], index) => (code === '' ? [] : [`wrong.ts:${index + 1} ${code}`]));
    assert.deepEqual(
      compiled.errors.map((error) => `${error.file}:${error.line} ${error.code}`),
      expected,
      'exactly the planted errors; client.ts and types-check.ts compile clean',
    );

    const sdk = await loadClient(compiled);
    const client = sdk.createClient({ bridgeUrl: ctx.stack.bridgeUrl, apiKey: await createApiKey(ctx, project, env) });
    const [row] = (await client.db.samples?.insert(SAMPLE_ROW)) ?? [];
    assert.deepEqual(
      row,
      { id: '1', ...SAMPLE_ROW, optional_amount: null, note: 'none' },
      'the wire forms of the types: strings for bigint, decimal, timestamp, bytes and file',
    );
    assert.deepEqual(await client.db.samples?.select({ where: { id: '1' } }), [row]);
    const stored = await ctx.db.query(
      database.name,
      `SELECT big::text AS big, amount::text AS amount, encode(blob, 'base64') AS blob FROM samples`,
    );
    assert.deepEqual(
      stored,
      [{ big: SAMPLE_ROW.big, amount: SAMPLE_ROW.amount, blob: SAMPLE_ROW.blob }],
      'no precision lost on the way in',
    );
  },
);

export const unknownTypeStops = defineScenario(
  'SDK-002',
  'a type outside the mapping stops generation naming the type and column; the Hub refuses such a type at apply',
  async (ctx) => {
    const { project, env } = await bootstrapProject(ctx, 'basic');
    const token = await ctx.operatorToken();
    const refused = await ctx.hub.post(
      '/api/apply',
      { project, env, ref: 'unknown', ...readProjectFolder(ctx.fixture('sdk_type_mapping_unknown')) },
      { token },
    );
    expectStatus(refused, 400, 'apply of a uuidish column');
    assert.match(refused.text, /SCHEMA_VALIDATION_FAILED/);
    assert.match(refused.text, /tables\.broken\.columns\.mystery\.type: unknown type 'uuidish'/);

    const dir = sdkFolder(ctx);
    writeFileSync(join(dir, 'client.ts'), '// an earlier client\n');
    const column = async (definition: Record<string, unknown>) => {
      const made = await ctx.hub.post(
        '/api/test/releases/column',
        { project, env, table: 'users', column: 'mystery', definition },
        { token },
      );
      expectStatus(made, 200, 'a release holding the column as given (Hub test mode)');
      return genClient(ctx, dir, project, env);
    };
    const unknown = await column({ type: 'uuidish', nullable: false });
    expectExit(unknown, 1);
    assert.equal(unknown.stderr, "Error: unknown schema type 'uuidish' for column 'mystery' of table 'users'\n");
    const noItems = await column({ type: 'array', nullable: false });
    expectExit(noItems, 1);
    assert.equal(noItems.stderr, "Error: array column 'mystery' of table 'users' is missing items\n");
    assert.equal(
      readFileSync(join(dir, 'client.ts'), 'utf8'),
      '// an earlier client\n',
      'the existing file is untouched',
    );
  },
);
