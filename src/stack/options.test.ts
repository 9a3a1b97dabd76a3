import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../errors.ts';
import { createStackProvider } from './index.ts';
import { parseCommandLine, validateStackOptions, type StackOptions } from './options.ts';

const base = { repoRoot: '/repo' } as const;

function usage(options: StackOptions, pattern: RegExp): void {
  assert.throws(
    () => validateStackOptions(options),
    (error: unknown) => error instanceof UsageError && error.exitCode === 2 && pattern.test(error.message),
  );
}

describe('validateStackOptions', () => {
  it('accepts each provider with what it needs', () => {
    validateStackOptions({ ...base, stack: 'embedded' });
    validateStackOptions({ ...base, stack: 'compose' });
    validateStackOptions({ ...base, stack: 'process', hubBin: 'hub', bridgeBin: 'bridge', db: 'container' });
    validateStackOptions({
      ...base,
      stack: 'external',
      hubUrl: 'http://h:4000',
      bridgeUrl: 'http://b:3000',
      databaseUrl: 'postgres://u:p@h/db',
    });
    validateStackOptions({ ...base, stack: 'embedded', db: 'url', databaseUrl: 'postgresql://localhost/x' });
  });

  it('rejects what a provider cannot use or is missing', () => {
    usage(
      { ...base, stack: 'external', bridgeUrl: 'http://b', databaseUrl: 'postgres://h/d' },
      /external needs --hub-url/,
    );
    usage(
      { ...base, stack: 'external', hubUrl: 'http://h', databaseUrl: 'postgres://h/d' },
      /external needs --bridge-url/,
    );
    usage({ ...base, stack: 'external', hubUrl: 'http://h', bridgeUrl: 'http://b' }, /needs --database-url/);
    usage({ ...base, stack: 'process', bridgeBin: 'b' }, /process needs --hub-bin/);
    usage({ ...base, stack: 'embedded', hubUrl: 'http://h' }, /--hub-url does not apply to --stack embedded/);
    usage({ ...base, stack: 'compose', hubBin: 'hub' }, /--hub-bin does not apply to --stack compose/);
    usage({ ...base, stack: 'compose', db: 'embedded' }, /--db does not apply to --stack compose/);
    usage({ ...base, stack: 'compose', stkBin: 'stk' }, /--stk-bin does not apply/);
    usage({ ...base, stack: 'embedded', db: 'url' }, /--db url needs --database-url/);
    usage(
      { ...base, stack: 'external', hubUrl: 'ftp://h', bridgeUrl: 'http://b', databaseUrl: 'postgres://h/d' },
      /--hub-url must be a http: or https: URL/,
    );
    usage({ ...base, stack: 'embedded', db: 'url', databaseUrl: 'mysql://h/d' }, /--database-url must be a postgres/);
    usage(
      { ...base, stack: 'external', hubUrl: 'not a url', bridgeUrl: 'http://b', databaseUrl: 'postgres://h/d' },
      /--hub-url is not a URL/,
    );
    usage({ ...base, stack: 'swarm' as StackOptions['stack'] }, /unknown stack "swarm"/);
  });

  it('is what createStackProvider checks first', () => {
    assert.throws(() => createStackProvider({ ...base, stack: 'external' }), UsageError);
    assert.equal(createStackProvider({ ...base, stack: 'compose' }).kind, 'compose');
  });
});

describe('parseCommandLine', () => {
  it('runs scripts with this node and resolves relative paths', () => {
    assert.deepEqual(parseCommandLine('bin/hub.js --flag', '/repo'), {
      command: process.execPath,
      args: ['/repo/bin/hub.js', '--flag'],
    });
    assert.deepEqual(parseCommandLine('reference/hub/main.ts', '/repo'), {
      command: process.execPath,
      args: ['--import', 'tsx', '/repo/reference/hub/main.ts'],
    });
    assert.deepEqual(parseCommandLine('/usr/local/bin/hub', '/repo'), { command: '/usr/local/bin/hub', args: [] });
    assert.deepEqual(parseCommandLine('hub --port 1', '/repo'), { command: 'hub', args: ['--port', '1'] });
  });

  it('uses an existing path whole, without splitting it', () => {
    const self = join(import.meta.dirname, 'options.test.ts');
    assert.deepEqual(parseCommandLine(self, '/'), { command: process.execPath, args: ['--import', 'tsx', self] });
  });
});
