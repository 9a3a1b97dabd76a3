/**
 * The README's first command, for real: the CLI starts the embedded stack,
 * runs implemented scenarios of this repository's own catalog, writes the
 * JSON and JUnit reports, and leaves no service answering.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from './helpers/cli.ts';

const outputDirs: string[] = [];
after(() => Promise.all(outputDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

test('santokit-it --capability OPERATOR-007 on the embedded stack passes and reports', async () => {
  const outputDir = await mkdtemp(join(tmpdir(), 'stk-it-run-e2e-'));
  outputDirs.push(outputDir);
  const result = await runCli(
    ['--capability', 'OPERATOR-007', '--reporter', 'list,json,junit', '--output-dir', outputDir],
    { timeoutMs: 120_000 },
  );
  assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
  assert.match(result.stdout, /^4 passed, 0 failed, 0 skipped$/m);
  const report = JSON.parse(await readFile(join(outputDir, 'results.json'), 'utf8')) as {
    status: string;
    stack: { kind: string; startMs: number; hubUrl: string; bridgeUrl: string };
    capabilities: { id: string; outcome: string }[];
    scenarios: { outcome: string }[];
  };
  assert.equal(report.status, 'passed');
  assert.equal(report.stack.kind, 'embedded');
  assert.deepEqual(
    report.capabilities.map((capability) => [capability.id, capability.outcome]),
    [['OPERATOR-007', 'passed']],
  );
  assert.equal(report.scenarios.length, 4);
  const junit = await readFile(join(outputDir, 'junit.xml'), 'utf8');
  assert.match(junit, /<testsuite name="operator" tests="4" failures="0"/);
  assert.equal(await answers(`${report.stack.hubUrl}/healthz`), false, 'the Hub is gone after the run');
  assert.equal(await answers(`${report.stack.bridgeUrl}/healthz`), false, 'the Bridge is gone after the run');
});
