/**
 * `santokit-it show-report` serves a report folder on loopback until SIGINT
 * (exit 0), nothing outside it; `--version` prints the package's version.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from './helpers/catalog-fixture.ts';
import { BIN, runCli } from './helpers/cli.ts';

test('--version prints the version of the package', async () => {
  const { version } = JSON.parse(await readFile(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  const run = await runCli(['--version']);
  assert.equal(run.code, 0);
  assert.equal(run.stdout.trim(), version);
});

test('show-report: the URL it prints serves the report, only from its folder; SIGINT stops it with exit 0', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'stk-it-show-'));
  try {
    await mkdir(join(dir, 'report'));
    await writeFile(join(dir, 'report', 'index.html'), '<!doctype html><title>a report</title>\n');
    await writeFile(join(dir, 'results.json'), '{"secret":"outside the report folder"}\n');
    const child = spawn(process.execPath, [BIN, 'show-report', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (match) resolve(match[0]);
      });
      child.on('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await page.text(), /a report/);
    const outside = await fetch(`${url}..%2Fresults.json`);
    assert.notEqual(outside.status, 200, 'a path outside the report folder is refused');
    assert.equal((await fetch(`${url}missing.png`)).status, 404);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('show-report on a folder without a report: exit 2 and how to make one', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'stk-it-show-none-'));
  try {
    const run = await runCli(['show-report', dir]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /no HTML report in /);
    assert.match(run.stderr, /--reporter list,html/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
