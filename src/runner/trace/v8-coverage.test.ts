import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import ts from 'typescript';
import { readCoverageDir, referenceFileOf } from './v8-coverage.ts';

const SOURCE = `import { createServer } from 'node:http';

export function used(value: number): number {
  return [value].map((item) => item + 1)[0] ?? 0;
}

export function unused(): string {
  return 'never';
}
void createServer;
`;

test('reference scripts map to their .ts, compiled or not; tests, dependencies and other files do not count', () => {
  const root = '/pkg';
  assert.equal(referenceFileOf('file:///pkg/dist/reference/hub/app.js', root), 'reference/hub/app.ts');
  assert.equal(referenceFileOf('file:///pkg/reference/hub/app.ts?tsx-namespace=1', root), 'reference/hub/app.ts');
  assert.equal(referenceFileOf('file:///pkg/reference/hub/app.test.ts', root), undefined);
  assert.equal(referenceFileOf('file:///pkg/reference/node_modules/pg/index.js', root), undefined);
  assert.equal(referenceFileOf('file:///pkg/src/cli/main.ts', root), undefined);
  assert.equal(referenceFileOf('node:internal/main', root), undefined);
  assert.equal(referenceFileOf('file:///elsewhere/reference/hub/app.ts', root), undefined);
});

test("a real process's V8 coverage: the functions of a compiled reference file, by .ts line, and those that ran", async () => {
  const root = await mkdtemp(join(tmpdir(), 'stk-it-v8-'));
  try {
    const compiled = ts.transpileModule(SOURCE, {
      fileName: 'thing.ts',
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: true },
    });
    const dist = join(root, 'dist', 'reference', 'demo');
    await mkdir(dist, { recursive: true });
    await writeFile(join(dist, 'package.json'), '{"type":"module"}\n');
    await writeFile(join(dist, 'thing.js'), `${compiled.outputText.trimEnd()}\n`);
    // As the build writes it: the map names the .ts by its path from the .js.
    const map = JSON.parse(compiled.sourceMapText ?? '{}') as { sources: string[] };
    map.sources = ['../../../reference/demo/thing.ts'];
    await writeFile(join(dist, 'thing.js.map'), JSON.stringify(map));
    const coverageDir = join(root, 'v8');
    const script = `const m = await import(${JSON.stringify(pathToFileURL(join(dist, 'thing.js')).href)}); m.used(1);`;
    execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, NODE_V8_COVERAGE: coverageDir },
    });

    const coverage = await readCoverageDir(coverageDir, root);
    assert.equal(coverage.processes, 1);
    assert.deepEqual([...coverage.files.keys()], ['reference/demo/thing.ts']);
    const thing = coverage.files.get('reference/demo/thing.ts');
    assert.deepEqual(
      Object.fromEntries(thing?.known ?? []),
      { 'line 3': 'used', 'line 4': 'line 4', 'line 7': 'unused' },
      'the module body is left out; the arrow function is named by its line',
    );
    assert.deepEqual([...(thing?.executed ?? [])].sort(), ['line 3', 'line 4']);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a missing folder is no coverage, not an error', async () => {
  const coverage = await readCoverageDir(join(tmpdir(), 'stk-it-no-such-coverage-dir'), '/pkg');
  assert.deepEqual([coverage.processes, coverage.files.size], [0, 0]);
});

test('a bundle counts each function for the .ts file its source map names', async (t) => {
  const esbuild = await import('esbuild').catch(() => undefined);
  if (esbuild === undefined) return t.skip('esbuild is not installed');
  const root = await mkdtemp(join(tmpdir(), 'stk-it-v8-bundle-'));
  try {
    const sources = join(root, 'reference', 'demo');
    await mkdir(sources, { recursive: true });
    await writeFile(
      join(sources, 'a.ts'),
      "import { b } from './b.ts';\nexport { never } from './b.ts';\n\nexport function a(): number {\n  return b() + 1;\n}\n",
    );
    await writeFile(
      join(sources, 'b.ts'),
      'export function b(): number {\n  return 1;\n}\n\nexport function never(): number {\n  return 2;\n}\n',
    );
    const outfile = join(root, 'dist', 'reference', 'demo', 'bundle', 'main.js');
    await esbuild.build({
      entryPoints: [join(sources, 'a.ts')],
      bundle: true,
      format: 'esm',
      platform: 'node',
      sourcemap: true,
      outfile,
      logLevel: 'silent',
    });
    await writeFile(join(root, 'dist', 'reference', 'demo', 'bundle', 'package.json'), '{"type":"module"}\n');
    const coverageDir = join(root, 'v8');
    const script = `const m = await import(${JSON.stringify(pathToFileURL(outfile).href)}); m.a();`;
    execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, NODE_V8_COVERAGE: coverageDir },
    });

    const coverage = await readCoverageDir(coverageDir, root);
    assert.deepEqual([...coverage.files.keys()].sort(), ['reference/demo/a.ts', 'reference/demo/b.ts']);
    assert.deepEqual([...(coverage.files.get('reference/demo/a.ts')?.executed ?? [])], ['line 4']);
    const b = coverage.files.get('reference/demo/b.ts');
    assert.deepEqual(Object.fromEntries(b?.known ?? []), { 'line 1': 'b', 'line 5': 'never' });
    assert.deepEqual([...(b?.executed ?? [])], ['line 1']);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
