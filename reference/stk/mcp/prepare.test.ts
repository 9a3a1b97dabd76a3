/** The scope of `stk mcp` (flags, then variables, then .stk/context.json), the port, and the context file. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Io } from '../command-kit.ts';
import { clearRepoContext, readRepoContext, writeRepoContext } from '../context-file.ts';
import { parsePort, resolveScope } from './prepare.ts';

const folders: string[] = [];
function folder(context?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'stk-mcp-scope-'));
  folders.push(dir);
  if (context !== undefined) {
    mkdirSync(join(dir, '.stk'));
    writeFileSync(join(dir, '.stk', 'context.json'), context);
  }
  return dir;
}
const io = (cwd: string, env: NodeJS.ProcessEnv = {}): Io => ({ out: () => undefined, env, cwd });

describe('stk mcp scope', () => {
  after(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  test('flags win over STK_* variables, which win over the context file; the Hub defaults to http://hub:4000', () => {
    const cwd = folder('{"project": "file-p", "env": "file-e", "hubUrl": "http://file-hub", "connection": "main"}');
    assert.deepEqual(resolveScope({}, io(cwd)), {
      hubUrl: 'http://file-hub',
      project: 'file-p',
      env: 'file-e',
      token: undefined,
    });
    const env = { STK_PROJECT: 'var-p', STK_ENV: 'var-e', STK_HUB_URL: 'http://var-hub', STK_AUTH_TOKEN: 't' };
    assert.deepEqual(resolveScope({}, io(cwd, env)), {
      hubUrl: 'http://var-hub',
      project: 'var-p',
      env: 'var-e',
      token: 't',
    });
    const flags = { project: 'flag-p', env: 'flag-e', hub: 'http://flag-hub' };
    assert.deepEqual(resolveScope(flags, io(cwd, env)), {
      hubUrl: 'http://flag-hub',
      project: 'flag-p',
      env: 'flag-e',
      token: 't',
    });
    assert.equal(resolveScope({}, io(folder(), { STK_PROJECT: 'p', STK_ENV: 'e' })).hubUrl, 'http://hub:4000');
  });

  test('a missing project or env, or a context file that is not an object of strings, is refused', () => {
    assert.throws(() => resolveScope({}, io(folder())), /^Error: context not set: project/);
    assert.throws(() => resolveScope({}, io(folder(), { STK_PROJECT: 'p' })), /^Error: context not set: env/);
    for (const text of ['[1]', '{"project": 3}', '{nope', 'null']) {
      assert.throws(() => resolveScope({}, io(folder(text))), /^Error: invalid \.stk\/context\.json/, text);
    }
  });

  test('ports: default 8080, 0 to 65535, anything else refused', () => {
    assert.equal(parsePort(undefined), 8080);
    assert.equal(parsePort('0'), 0);
    assert.equal(parsePort('65535'), 65_535);
    for (const bad of ['65536', 'abc', '-1', '80.5', ''])
      assert.throws(() => parsePort(bad), /^Error: invalid --port/, bad);
  });

  test('stk context writes, merges and clears the file', () => {
    const cwd = folder();
    assert.deepEqual(readRepoContext(cwd), {});
    writeRepoContext(cwd, { project: 'a', env: 'dev' });
    assert.deepEqual(writeRepoContext(cwd, { project: 'b' }), { project: 'b', env: 'dev' });
    assert.equal(clearRepoContext(cwd), true);
    assert.equal(clearRepoContext(cwd), false);
    assert.deepEqual(readRepoContext(cwd), {});
  });
});
