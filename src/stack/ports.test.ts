import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { claimPort, freePort, releasePort } from './ports.ts';

const claimsDir = mkdtempSync(join(tmpdir(), 'stk-it-ports-test-'));
after(() => rmSync(claimsDir, { recursive: true, force: true }));
const portsModule = pathToFileURL(join(import.meta.dirname, 'ports.ts')).href;

/** node running `script` as an ES module with TypeScript imports. */
function nodeArgs(script: string): string[] {
  return ['--import', 'tsx', '--input-type=module', '-e', script];
}

/** A pid no process has any more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('freePort', () => {
  it('never hands one port to two processes choosing at the same time', async () => {
    const count = 300;
    // The other process claims its ports, prints them, and holds them until its stdin closes.
    const script = `
      const { freePort } = await import(${JSON.stringify(portsModule)});
      const ports = [];
      for (let i = 0; i < ${count}; i += 1) ports.push(await freePort(${JSON.stringify(claimsDir)}));
      process.stdout.write(JSON.stringify(ports) + '\\n');
      process.stdin.resume();`;
    const other = spawn(process.execPath, nodeArgs(script), { stdio: ['pipe', 'pipe', 'inherit'] });
    let printed = '';
    other.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const theirsPrinted = new Promise<void>((resolve) =>
      other.stdout.on('data', () => printed.endsWith('\n') && resolve()),
    );
    const mine: number[] = [];
    for (let i = 0; i < count; i += 1) mine.push(await freePort(claimsDir));
    await theirsPrinted;
    const theirs = JSON.parse(printed) as number[];
    other.stdin.end();
    await new Promise((resolve) => other.once('exit', resolve));
    // 300 random picks each out of 12 000 ports would share about 7 without the claims.
    assert.equal(new Set([...mine, ...theirs]).size, 2 * count);
    for (const port of theirs) assert.equal(existsSync(join(claimsDir, String(port))), false, 'released on exit');
    for (const port of mine) releasePort(port, claimsDir);
  });
});

describe('claimPort', () => {
  it('refuses a port a live process holds and gives it once released', () => {
    assert.equal(claimPort(20_001, claimsDir), true);
    assert.equal(claimPort(20_001, claimsDir), false);
    releasePort(20_001, claimsDir);
    assert.equal(claimPort(20_001, claimsDir), true);
    releasePort(20_001, claimsDir);
  });

  it('takes over the claim of a process that is gone', () => {
    writeFileSync(join(claimsDir, '20002'), `${deadPid()}\n`);
    assert.equal(claimPort(20_002, claimsDir), true);
    releasePort(20_002, claimsDir);
  });

  it('takes over a claim older than any service start, even of a live process', () => {
    const file = join(claimsDir, '20003');
    writeFileSync(file, `${process.pid}\n`);
    assert.equal(claimPort(20_003, claimsDir), false);
    const elevenMinutesAgo = new Date(Date.now() - 11 * 60_000);
    utimesSync(file, elevenMinutesAgo, elevenMinutesAgo);
    assert.equal(claimPort(20_003, claimsDir), true);
    releasePort(20_003, claimsDir);
  });

  it('leaves a claim still being written alone', () => {
    writeFileSync(join(claimsDir, '20004'), '');
    assert.equal(claimPort(20_004, claimsDir), false);
  });
});
