/**
 * What the SDK scenarios share: run `stk gen client` through the stack's
 * `stk`, compile the file as `tsc -p` would under strict settings, and load
 * the compiled client into this process to call the real Bridge.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expectExit, type ScenarioContext } from '../kit/index.ts';
import type { StkResult } from '../../stack/types.ts';
import { compileOnThread } from './tsc-thread.ts';

/** The settings a demanding project compiles with; the generated file must pass all of them. */
const STRICT_OPTIONS = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  lib: ['ES2022', 'DOM'],
  types: [],
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noPropertyAccessFromIndexSignature: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  verbatimModuleSyntax: true,
  erasableSyntaxOnly: true,
  allowImportingTsExtensions: true,
  rewriteRelativeImportExtensions: true,
  skipLibCheck: true,
  outDir: 'out',
};

/** A folder `stk` can write to (under compose it is mounted into the cli container) and the runner can read. */
export function sdkFolder(ctx: ScenarioContext): string {
  assert.ok(ctx.stack.workDir, 'the stack offers a work folder shared with stk');
  const dir = join(ctx.stack.workDir, ctx.uniqueName('sdk'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface GenOptions {
  readonly output?: string;
  /** Leave out --env (the command then takes STK_ENV, else dev). */
  readonly noEnvFlag?: boolean;
  readonly stkEnv?: Readonly<Record<string, string>>;
  readonly extra?: readonly string[];
}

/** `stk gen client --lang typescript --output <output> --project P --env E` in `dir`; never asserts. */
export async function genClient(
  ctx: ScenarioContext,
  dir: string,
  project: string,
  env: string,
  options: GenOptions = {},
): Promise<StkResult> {
  await ctx.operatorToken();
  const args = [
    'gen',
    'client',
    '--lang',
    'typescript',
    '--output',
    options.output ?? 'client.ts',
    '--project',
    project,
  ];
  if (!options.noEnvFlag) args.push('--env', env);
  return ctx.stk([...args, ...(options.extra ?? [])], { cwd: dir, ...(options.stkEnv ? { env: options.stkEnv } : {}) });
}

export interface Generated {
  readonly dir: string;
  /** Host path of the generated file. */
  readonly path: string;
  readonly source: string;
}

/** Generates `client.ts` in a fresh folder and expects success. */
export async function generateClient(ctx: ScenarioContext, project: string, env: string): Promise<Generated> {
  const dir = sdkFolder(ctx);
  const result = await genClient(ctx, dir, project, env);
  expectExit(result, 0);
  assert.equal(result.stdout, 'generated client.ts\n');
  const path = join(dir, 'client.ts');
  return { dir, path, source: readFileSync(path, 'utf8') };
}

export interface TscError {
  readonly file: string;
  readonly line: number;
  readonly code: string;
  readonly message: string;
}

export interface Compiled {
  readonly exitCode: number;
  readonly errors: readonly TscError[];
  /** Where the JavaScript went (`<dir>/out`). */
  readonly outDir: string;
}

const ERROR_LINE = /^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/;

/**
 * `tsc -p` over `files` (names in `dir`) with STRICT_OPTIONS, as an ES module
 * package; extra source files (usage, planted errors) are written first. The
 * folder keeps its tsconfig.json, so `npx tsc -p <dir>` repeats the check by
 * hand; the run compiles on its shared compiler thread (tsc-thread.ts).
 */
export async function compileStrict(
  ctx: ScenarioContext,
  dir: string,
  files: Readonly<Record<string, string>>,
  entries: readonly string[],
): Promise<Compiled> {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const project = join(dir, 'tsconfig.json');
  writeFileSync(project, JSON.stringify({ compilerOptions: STRICT_OPTIONS, files: entries }, null, 2));
  const begin = performance.now();
  const run = await compileOnThread(project, ctx.signal);
  const durationMs = Math.round(performance.now() - begin);
  ctx.transcript.note(
    `tsc -p ${project} --pretty false (TypeScript API on the run's compiler thread): exit ${run.exitCode} in ${durationMs} ms${run.stdout ? `\n${run.stdout}` : ''}`,
  );
  const errors = run.stdout.split('\n').flatMap((line) => {
    const match = ERROR_LINE.exec(line.trim());
    return match
      ? [{ file: match[1] ?? '', line: Number(match[2]), code: match[3] ?? '', message: match[4] ?? '' }]
      : [];
  });
  return { exitCode: run.exitCode, errors, outDir: join(dir, 'out') };
}

/** Compiles `entries` and expects no error at all. */
export async function compileClean(
  ctx: ScenarioContext,
  dir: string,
  files: Readonly<Record<string, string>>,
  entries: readonly string[],
): Promise<Compiled> {
  const compiled = await compileStrict(ctx, dir, files, entries);
  assert.deepEqual(compiled.errors, [], 'tsc reports no error');
  assert.equal(compiled.exitCode, 0, 'tsc exits 0');
  return compiled;
}

/** The generated module's surface, as the scenarios use it at run time (types are checked by tsc, not here). */
export interface SdkError extends Error {
  readonly code: string;
  readonly requestId: string;
}

export type Row = Record<string, unknown>;

export interface SdkTable {
  select(params?: Row): Promise<Row[]>;
  insert(data: Row | Row[]): Promise<Row[]>;
  update(where: Row, data: Row): Promise<Row[]>;
  delete(where: Row): Promise<{ affected: number }>;
}

export interface SdkClientOptions {
  readonly bridgeUrl: string;
  readonly apiKey?: string;
  readonly accessToken?: string;
  readonly project?: string;
  readonly env?: string;
  readonly fetch?: typeof fetch;
}

export interface SdkModule {
  readonly releaseId: string;
  readonly generatedBy: string;
  readonly SantokitError: new (code: string, message: string, requestId: string) => SdkError;
  createClient(options: SdkClientOptions): { readonly db: Readonly<Record<string, SdkTable>> };
}

/** Imports the compiled client (`<outDir>/client.js`) into this process. */
export async function loadClient(compiled: Compiled): Promise<SdkModule> {
  return (await import(pathToFileURL(join(compiled.outDir, 'client.js')).href)) as SdkModule;
}

/** Generate, compile (with `files` beside it), load: the usual start of a runtime scenario. */
export async function buildClient(
  ctx: ScenarioContext,
  project: string,
  env: string,
  files: Readonly<Record<string, string>> = {},
): Promise<SdkModule & { readonly generated: Generated }> {
  const generated = await generateClient(ctx, project, env);
  const compiled = await compileClean(ctx, generated.dir, files, ['client.ts', ...Object.keys(files)]);
  return { ...(await loadClient(compiled)), generated };
}
