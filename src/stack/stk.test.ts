import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOOPBACK_ONLY_ENV } from './options.ts';
import { containerPath, createLocalStk } from './stk.ts';

describe('createLocalStk', () => {
  it('passes args, env, cwd and input; returns the exit code and raw output', async () => {
    process.env.STK_AUTH_TOKEN = 'from-the-user-shell';
    const script =
      'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{console.log(JSON.stringify([process.argv.slice(1),process.env.STK_HUB_URL,process.env.STK_AUTH_TOKEN??null,process.env.EXTRA,process.cwd(),s]));process.exit(5)})';
    const stk = createLocalStk([process.execPath, '-e', script], { STK_HUB_URL: 'http://hub' });
    const result = await stk.run(['apply', '--ref', 'v1'], { env: { EXTRA: 'x' }, cwd: '/tmp', input: 'in' });
    delete process.env.STK_AUTH_TOKEN;
    assert.equal(result.exitCode, 5);
    assert.deepEqual(JSON.parse(result.stdout), [['apply', '--ref', 'v1'], 'http://hub', null, 'x', '/tmp', 'in']);
    assert.ok(result.stdout.endsWith('\n'));
    assert.deepEqual(result.argv, ['apply', '--ref', 'v1']);
    assert.equal(result.cwd, '/tmp');
  });

  it('leaves out what the stack env sets to undefined (LOOPBACK_ONLY_ENV drops the extra CA bundle)', async () => {
    const saved = process.env.NODE_EXTRA_CA_CERTS;
    process.env.NODE_EXTRA_CA_CERTS = '/nonexistent/ca.pem';
    const script = 'console.log(JSON.stringify(process.env.NODE_EXTRA_CA_CERTS ?? null))';
    try {
      const kept = await createLocalStk([process.execPath, '-e', script], {}).run([]);
      const dropped = await createLocalStk([process.execPath, '-e', script], { ...LOOPBACK_ONLY_ENV }).run([]);
      assert.equal(JSON.parse(kept.stdout), '/nonexistent/ca.pem');
      assert.equal(JSON.parse(dropped.stdout), null);
    } finally {
      if (saved === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
      else process.env.NODE_EXTRA_CA_CERTS = saved;
    }
  });

  it('turns a timeout into a non-zero exit with a note, not a rejection', async () => {
    const stk = createLocalStk([process.execPath, '-e', 'setTimeout(() => {}, 10000)'], {});
    const result = await stk.run([], { timeoutMs: 200 });
    assert.equal(result.exitCode, 143);
    assert.match(result.stderr, /stk timed out after 200 ms/);
  });
});

describe('containerPath', () => {
  const mounts = [
    { host: '/repo/src/scenarios/fixtures', container: '/fixtures' },
    { host: '/tmp/work-1', container: '/stk-work' },
  ];
  it('maps host folders under a mount', () => {
    assert.equal(containerPath('/repo/src/scenarios/fixtures', mounts), '/fixtures');
    assert.equal(containerPath('/repo/src/scenarios/fixtures/basic/app', mounts), '/fixtures/basic/app');
    assert.equal(containerPath('/tmp/work-1/p', mounts), '/stk-work/p');
  });
  it('refuses a folder the container cannot see', () => {
    assert.throws(() => containerPath('/tmp/work-10', mounts), /not visible in the cli container/);
    assert.throws(() => containerPath('/repo/src/scenarios', mounts), /not visible/);
  });
});
