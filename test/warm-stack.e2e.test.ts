/**
 * The warm stack through the real CLI on the embedded stack: `stack up
 * --detach` records it, `--reuse-stack` runs on it (a scenario makes its own
 * database there), a normal run's leftover sweep leaves it alone, a stack
 * from other sources or with a dead owner is not reused (a fresh one is, and
 * the run says why), and `stack down` stops it.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { capability, scenarioModule, writeTree } from './helpers/catalog-fixture.ts';
import { runCli } from './helpers/cli.ts';

const SCENARIOS = 'src/scenarios/operator/operator-001-warm.ts';
const BODY = [
  "const health = await context.hub.get('/healthz');",
  "if (health.status !== 200) throw new Error('hub: ' + health.status);",
  "const database = await context.db.create(context.uniqueName('warm'));",
  "const rows = await context.db.query(database.name, 'SELECT current_database() AS name');",
  "if (rows[0]?.name !== database.name) throw new Error('database: ' + JSON.stringify(rows));",
].join('\n  ');

interface StackJson {
  owner: { pid: number };
  stack: { hubUrl: string; bridgeUrl: string };
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

/** Running, and not a zombie waiting for a parent that does not reap (the owner outlives the process that started it). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

describe('warm stack', () => {
  let root = '';
  let remove: () => Promise<void> = async () => undefined;
  const cli = (args: readonly string[]) => runCli([...args, '--root', root], { cwd: root, timeoutMs: 240_000 });
  const run = async (name: string, ...args: string[]) => {
    const result = await runCli(
      ['--root', root, '--reporter', 'list,json', '--output-dir', join(root, name), ...args],
      { cwd: root, timeoutMs: 240_000 },
    );
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    return {
      ...result,
      report: JSON.parse(readFileSync(join(root, name, 'results.json'), 'utf8')) as { stack: { hubUrl: string } },
    };
  };
  const record = () => JSON.parse(readFileSync(join(root, '.santokit-it/stack.json'), 'utf8')) as StackJson;

  before(async () => {
    ({ root, remove } = await writeTree({
      'code/hub.ts': 'export {};\n',
      'plan/capabilities/operator/OPERATOR-001-warm.md': capability({
        id: 'OPERATOR-001',
        domain: 'operator',
        codeRefs: ['code/hub.ts'],
        testRefs: [`${SCENARIOS}::the warm hub answers and takes a database`],
      }),
      [SCENARIOS]: scenarioModule([
        { capability: 'OPERATOR-001', name: 'the warm hub answers and takes a database', body: BODY },
      ]),
    }));
  });
  after(async () => {
    await cli(['stack', 'down']);
    await remove();
  });

  test('stack up --detach, run --reuse-stack on it, a normal run sweeps around it, stack down stops it', async () => {
    const up = await cli(['stack', 'up', '--detach', '--format', 'json']);
    assert.equal(up.code, 0, up.stderr);
    const printed = JSON.parse(up.stdout) as { hubUrl: string };
    const warm = record();
    assert.equal(printed.hubUrl, warm.stack.hubUrl);
    assert.equal(
      statSync(join(root, '.santokit-it/stack.json')).mode & 0o077,
      0,
      'stack.json holds secrets: this user only',
    );
    assert.ok(alive(warm.owner.pid), 'the owner runs on after stack up returned');

    const reused = await run('reused', '--reuse-stack');
    assert.equal(reused.report.stack.hubUrl, warm.stack.hubUrl);
    assert.match(
      reused.stderr,
      new RegExp(`--reuse-stack: running on the warm embedded stack \\(pid ${warm.owner.pid}, up since`),
    );

    const fresh = await run('fresh');
    assert.notEqual(fresh.report.stack.hubUrl, warm.stack.hubUrl);
    assert.ok(await answers(`${warm.stack.hubUrl}/healthz`), "a run's leftover sweep does not take a live warm stack");

    const down = await cli(['stack', 'down']);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, new RegExp(`stopped the warm stack \\(pid ${warm.owner.pid}\\)`));
    assert.equal(alive(warm.owner.pid), false);
    assert.equal(await answers(`${warm.stack.hubUrl}/healthz`), false);
    assert.equal(await answers(`${warm.stack.bridgeUrl}/healthz`), false);
    const again = await cli(['stack', 'down']);
    assert.equal(again.code, 0);
    assert.match(again.stderr, /no warm stack is up here/);
  });

  test('a warm stack from other sources, or whose owner was killed, is not reused: a fresh one is, and the run says why', async () => {
    const up = await cli(['stack', 'up', '--detach']);
    assert.equal(up.code, 0, up.stderr);
    const warm = record();
    const file = join(root, '.santokit-it/stack.json');
    const original = readFileSync(file, 'utf8');
    const tampered = JSON.parse(original) as { sources: Record<string, string> };
    tampered.sources['reference/bridge'] = '0000000000000000';
    writeFileSync(file, JSON.stringify(tampered), { mode: 0o600 });
    const stale = await run('stale', '--reuse-stack');
    assert.notEqual(stale.report.stack.hubUrl, warm.stack.hubUrl);
    assert.match(
      stale.stderr,
      /--reuse-stack: the warm stack \(pid \d+\) was started from other sources \(reference\/bridge[^)]* changed since\); starting a fresh stack for this run/,
    );
    writeFileSync(file, original, { mode: 0o600 });

    process.kill(warm.owner.pid, 'SIGKILL');
    const orphaned = await run('orphaned', '--reuse-stack');
    assert.notEqual(orphaned.report.stack.hubUrl, warm.stack.hubUrl);
    assert.match(
      orphaned.stderr,
      new RegExp(`--reuse-stack: the warm stack's owner \\(pid ${warm.owner.pid}\\) is gone; starting a fresh stack`),
    );
    assert.equal(await answers(`${warm.stack.hubUrl}/healthz`), false, 'what the killed owner left is swept');
  });
});
