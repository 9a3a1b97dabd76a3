/**
 * Secrets never reach an artifact. On each stack that runs here, a scenario
 * takes the stack's real secrets from the running Hub and leaks them on
 * purpose into every channel, then fails (twice: --retries 1). Every file
 * under the output directory (results.json, junit.xml, the HTML report, the
 * service logs) and everything the CLI printed (--verbose streams service
 * output too) is searched for each secret value: zero hits.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dockerEngineAvailable } from '../src/stack/providers/compose-cli.ts';
import { PACKAGE_ROOT, writeTree } from './helpers/catalog-fixture.ts';
import { runCli } from './helpers/cli.ts';
import { filesUnder, leaksIn, leakTree } from './helpers/leak-fixture.ts';

process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
const docker = await dockerEngineAvailable();
const noDocker = docker
  ? false
  : 'no Docker engine answers `docker info` (run .ci/docker-setup.sh as root to make one)';

let root = '';
let remove = async () => {};
const dirs: string[] = [];
before(async () => ({ root, remove } = await writeTree(leakTree())));
after(async () => {
  await remove();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function leakRun(stackArgs: readonly string[], timeoutMs: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'stk-it-leak-'));
  dirs.push(dir);
  const outputDir = join(dir, 'out');
  const secretsFile = join(dir, 'secrets.json');
  // Not the public default: a password the redactor must know by value.
  const operatorPassword = `op-${randomBytes(12).toString('hex')}`;
  const args = [
    '--root',
    root,
    ...stackArgs,
    '--operator-password',
    operatorPassword,
    '--retries',
    '1',
    '--verbose',
    '--reporter',
    'list,json,junit,github,html',
    '--output-dir',
    outputDir,
    '--jobs',
    '1',
  ];
  const run = await runCli(args, { env: { STK_IT_LEAK_FILE: secretsFile }, timeoutMs });
  assert.equal(run.code, 1, `the scenario fails on purpose\n${run.stdout}\n${run.stderr}`);
  const found = JSON.parse(await readFile(secretsFile, 'utf8')) as Record<string, string | undefined>;
  const secrets = Object.fromEntries(
    Object.entries(found).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
  for (const name of ['serviceToken', 'secretKey', 'pasetoKey', 'operatorPassword'])
    assert.ok(
      (secrets[name] ?? '').length >= 8,
      `the Hub's ${name} was found: ${JSON.stringify(Object.keys(secrets))}`,
    );
  assert.equal(secrets.operatorPassword, operatorPassword);
  const files = await filesUnder(outputDir);
  const names = files.map((file) => file.path.slice(outputDir.length + 1));
  for (const expected of ['results.json', 'junit.xml', 'report/index.html', 'logs/hub.log'])
    assert.ok(names.includes(expected), `${expected} written (${names.join(', ')})`);
  const texts = [...files, { path: 'stdout', text: run.stdout }, { path: 'stderr', text: run.stderr }];
  assert.deepEqual(leaksIn(texts, secrets), []);
  const report = JSON.parse(files.find((file) => file.path.endsWith('results.json'))?.text ?? '{}') as {
    scenarios: { outcome: string; earlierAttempts?: unknown[] }[];
  };
  assert.equal(report.scenarios[0]?.outcome, 'failed');
  assert.equal(report.scenarios[0]?.earlierAttempts?.length, 1, 'the first attempt is kept too');
  const hubLog = files.find((file) => file.path.endsWith('logs/hub.log'))?.text ?? '';
  assert.match(hubLog, /POST \/api\/leak\/\[redacted:service-token#[0-9a-f]{6}\]/, 'the Hub logged the path, redacted');
  assert.match(run.stdout, /\[redacted:service-token#[0-9a-f]{6}\]/, 'the console shows placeholders');
  return;
}

describe('no secret in any artifact of a failing run', () => {
  it('embedded stack', async () => {
    await leakRun([], 180_000);
  });

  it(
    'process stack (the reference services as given binaries, PostgreSQL in a container)',
    { skip: noDocker },
    async () => {
      const bin = (service: string) => join(PACKAGE_ROOT, 'reference', service, 'main.ts');
      await leakRun(
        ['--stack', 'process', '--hub-bin', bin('hub'), '--bridge-bin', bin('bridge'), '--db', 'container'],
        240_000,
      );
    },
  );

  it('compose stack', { skip: noDocker }, async () => {
    await leakRun(['--stack', 'compose'], 900_000);
  });
});
