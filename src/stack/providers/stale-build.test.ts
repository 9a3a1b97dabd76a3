import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { bundleStaleService } from './stale-build.ts';

let root: string;

function write(file: string, text: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

function runBundle(path: string): string {
  const result = spawnSync(process.execPath, ['--enable-source-maps', path], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

describe('bundleStaleService', () => {
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'stale-build-'));
    write('reference/shared/greet.ts', 'export const greet = (who: string): string => `hello ${who}`;\n');
    write(
      'reference/svc/main.ts',
      "import { greet } from '../shared/greet.ts';\nconst lazy = await import('./lazy.ts');\nconsole.log(greet(lazy.name));\n",
    );
    write('reference/svc/lazy.ts', "export const name: string = 'bridge';\n");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('bundles the current sources into one file under reference/<service>/.build that runs as the sources would', async () => {
    const bundle = await bundleStaleService(root, 'svc');
    assert.ok(bundle !== undefined && bundle.startsWith(join(root, 'reference', 'svc', '.build')), String(bundle));
    assert.equal(runBundle(bundle), 'hello bridge');
    assert.deepEqual(readdirSync(dirname(bundle)).sort(), ['main.js', 'main.js.map']);
  });

  it('reuses the bundle of unchanged sources and makes a new one after an edit', async () => {
    const first = await bundleStaleService(root, 'svc');
    assert.equal(await bundleStaleService(root, 'svc'), first);
    write('reference/shared/greet.ts', 'export const greet = (who: string): string => `hi ${who}`;\n');
    const second = await bundleStaleService(root, 'svc');
    assert.ok(second !== undefined && second !== first);
    assert.equal(runBundle(second), 'hi bridge');
    assert.ok(first !== undefined && existsSync(first), 'a recent older bundle stays: a run may be starting it');
  });

  it('removes other bundles older than ten minutes and leaves no staging folder', async () => {
    const old = await bundleStaleService(root, 'svc');
    assert.ok(old !== undefined);
    const past = new Date(Date.now() - 11 * 60 * 1000);
    utimesSync(dirname(old), past, past);
    write('reference/svc/lazy.ts', "export const name: string = 'hub';\n");
    const current = await bundleStaleService(root, 'svc');
    assert.ok(current !== undefined);
    assert.equal(existsSync(old), false);
    assert.deepEqual(readdirSync(join(root, 'reference', 'svc', '.build')), [dirname(current).split('/').pop()]);
  });

  it('gives undefined for sources esbuild cannot read, so the caller falls back to tsx', async () => {
    write('reference/svc/lazy.ts', 'export const name: string = ;\n');
    assert.equal(await bundleStaleService(root, 'svc'), undefined);
    const buildDir = join(root, 'reference', 'svc', '.build');
    assert.deepEqual(existsSync(buildDir) ? readdirSync(buildDir) : [], []);
  });
});
