/**
 * The warm stack through the real CLI on the embedded stack: `stack up
 * --detach` records it, `--reuse-stack` runs on it (a scenario makes its own
 * database there), a normal run's leftover sweep leaves it alone, a stack
 * whose service sources changed restarts those services and stays warm, one
 * from other sources or with a dead owner is not reused (a fresh one is, and
 * the run says why), and `stack down` stops it.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { capability, scenarioModule, writeTree } from './helpers/catalog-fixture.ts';
import { runCli } from './helpers/cli.ts';
import { databasesNamed } from './helpers/databases.ts';

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
  stack: { hubUrl: string; bridgeUrl: string; adminDatabaseUrl: string };
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

/** What `read` gives once it gives `wanted`, or after 10 s, whatever it gives then. */
async function settled<T>(read: () => Promise<T>, wanted: T): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (JSON.stringify(value) === JSON.stringify(wanted) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
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

/** The pid of the process listening on the URL's port (from /proc/net/tcp and the sockets each process holds). */
function bridgeProcess(url: string): number | undefined {
  const port = Number(new URL(url).port).toString(16).toUpperCase().padStart(4, '0');
  const line = readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .find((row) => row.trim().split(/\s+/)[1]?.endsWith(`:${port}`) && row.trim().split(/\s+/)[3] === '0A');
  const inode = line?.trim().split(/\s+/)[9];
  if (!inode) return undefined;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readdirSync(`/proc/${pid}/fd`).some((fd) => readlinkSafe(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`))
        return Number(pid);
    } catch {
      // Gone, or not ours to read.
    }
  }
  return undefined;
}

function readlinkSafe(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
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
    const password = decodeURIComponent(new URL(warm.stack.adminDatabaseUrl).password);
    assert.ok(password.length > 0);
    const ownerLog = readFileSync(join(root, '.santokit-it/warm-stack/logs/owner.log'), 'utf8');
    assert.equal(ownerLog.includes(password), false, "the owner's log never holds the database password");

    const reused = await run('reused', '--reuse-stack');
    assert.equal(reused.report.stack.hubUrl, warm.stack.hubUrl);
    assert.match(
      reused.stderr,
      new RegExp(`--reuse-stack: running on the warm embedded stack \\(pid ${warm.owner.pid}, up since`),
    );
    // The run hands its scenario's database to the owner, which drops it after the run has ended.
    assert.deepEqual(
      await settled(() => databasesNamed(warm.stack.adminDatabaseUrl, 'warm_'), []),
      [],
      "the scenario's database is dropped: runs on a warm stack do not pile up databases",
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

  test('changed service sources: the owner restarts those services and the run stays warm; other changes and a dead owner get a fresh stack', async () => {
    const up = await cli(['stack', 'up', '--detach']);
    assert.equal(up.code, 0, up.stderr);
    const warm = record();
    const file = join(root, '.santokit-it/stack.json');
    const tamper = (part: string) => {
      const changed = JSON.parse(readFileSync(file, 'utf8')) as { sources: Record<string, string> };
      changed.sources[part] = '0000000000000000';
      writeFileSync(file, JSON.stringify(changed), { mode: 0o600 });
    };
    const bridgePid = () => bridgeProcess(warm.stack.bridgeUrl);
    const before = bridgePid();
    assert.ok(before, 'the bridge is found by its port');

    // As if reference/bridge had been edited since the stack started.
    tamper('reference/bridge');
    const followed = await run('followed', '--reuse-stack');
    assert.equal(followed.report.stack.hubUrl, warm.stack.hubUrl);
    assert.match(
      followed.stderr,
      new RegExp(
        // Others editing reference/ at the same time may add parts and services to the line.
        `--reuse-stack: [^\\n]*reference/bridge[^\\n]* changed: restarted [^(]*bridge[^(]* \\([\\d.]+ s\\) on the warm embedded stack \\(pid ${warm.owner.pid},`,
      ),
    );
    assert.notEqual(bridgePid(), before, 'a new bridge process');
    assert.equal(record().owner.pid, warm.owner.pid);
    assert.notEqual(
      (JSON.parse(readFileSync(file, 'utf8')) as { sources: Record<string, string> }).sources['reference/bridge'],
      '0000000000000000',
      'recorded again',
    );

    // The lockfile stands for node_modules: no restart follows it.
    tamper('package-lock.json');
    const stale = await run('stale', '--reuse-stack');
    assert.notEqual(stale.report.stack.hubUrl, warm.stack.hubUrl);
    assert.match(
      stale.stderr,
      /--reuse-stack: the warm stack \(pid \d+\) was started from other sources \([^)]*package-lock\.json[^)]* changed since\); starting a fresh stack for this run/,
    );

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
