import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunReport, ScenarioResult } from '../model/results.ts';
import { createRedactor } from '../redact/redactor.ts';
import { createReporters } from './create-reporters.ts';
import { redactReporter } from './redact-reporter.ts';
import { multiplexReporters } from './reporter.ts';
import { createScreen } from './screen.ts';

const SERVICE_TOKEN = 'Tk3nS3rv1c3T0k3nV4lu3AbCdEfGhIjKlMnOpQr';
const DB_PASSWORD = '9f8e7d6c5b4a39281706f5e4';
const API_KEY = '01JAPIKEYID.zyxwvutsrqponmlk';
const OPERATOR_PASSWORD = 'correct-horse-battery';

const failing: ScenarioResult = {
  id: 'src/scenarios/operator/o.ts::keys',
  file: 'src/scenarios/operator/o.ts',
  line: 1,
  name: 'keys',
  capability: 'OPERATOR-002',
  domain: 'operator',
  capabilityStatus: 'implemented',
  outcome: 'failed',
  passed: false,
  attempts: 1,
  durationMs: 9,
  error: { message: `expected 401, got 200 {"api_key":"${API_KEY}"}`, expected: `'${SERVICE_TOKEN}'`, actual: "'x'" },
  transcript: [
    {
      kind: 'http',
      at: 0,
      method: 'POST',
      url: 'http://127.0.0.1:1/api/auth/login',
      requestHeaders: {},
      requestBody: JSON.stringify({ email: 'o@example.com', password: OPERATOR_PASSWORD }),
      status: 200,
      responseHeaders: { 'set-cookie': `sid=${SERVICE_TOKEN}; HttpOnly` },
      responseBody: '{}',
      durationMs: 1,
    },
    {
      kind: 'http',
      at: 1,
      method: 'POST',
      url: 'http://127.0.0.1:1/api/apikeys/create',
      requestHeaders: { 'x-santokit-service-token': SERVICE_TOKEN },
      requestBody: JSON.stringify({ db_url: `postgres://santokit:${DB_PASSWORD}@127.0.0.1:5/db` }),
      status: 200,
      responseHeaders: {},
      responseBody: JSON.stringify({ api_key: API_KEY }),
      durationMs: 1,
    },
    {
      kind: 'cli',
      at: 2,
      argv: ['stk', 'apikey', 'create'],
      exitCode: 0,
      stdout: `created ${API_KEY}\n`,
      stderr: '',
      durationMs: 1,
    },
  ],
  logTails: [
    {
      service: 'hub',
      lines: [`STK_SERVICE_TOKEN=${SERVICE_TOKEN}`, `connecting to postgres://santokit:${DB_PASSWORD}@db/x`],
    },
  ],
};

const report: RunReport = {
  schemaVersion: 1,
  tool: 'santokit-it',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 10,
  status: 'failed',
  exitCode: 1,
  strict: false,
  counts: { passed: 0, failed: 1, flaky: 0, 'expected-failure': 0, 'unexpected-pass': 0, skipped: 0 },
  capabilities: [
    {
      id: 'OPERATOR-002',
      title: 'API keys',
      domain: 'operator',
      status: 'implemented',
      scenarios: 1,
      outcome: 'failed',
      durationMs: 9,
    },
  ],
  scenarios: [failing],
};

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

test('every reporter behind the gate: no secret in the console, results.json, junit.xml, annotations or the HTML report', async () => {
  const outputDir = await mkdtemp(join(tmpdir(), 'stk-it-redact-'));
  try {
    let console = '';
    const stream = {
      write: (chunk: string) => ((console += chunk), true),
      isTTY: false,
    } as unknown as NodeJS.WritableStream;
    const screen = createScreen({ color: false, stdout: stream, stderr: stream });
    const redactor = createRedactor();
    redactor.addSecret(SERVICE_TOKEN, 'service-token');
    const reporter = redactReporter(
      multiplexReporters(
        createReporters(['list', 'json', 'junit', 'github', 'html'], screen, outputDir, { verbose: true }),
      ),
      redactor,
    );
    reporter.onServiceLine('hub', `token ${SERVICE_TOKEN}`);
    reporter.onScenarioEnd(failing);
    await reporter.onRunEnd(report);
    const files = await filesUnder(outputDir);
    assert.deepEqual(files.map((file) => file.slice(outputDir.length + 1)).sort(), [
      'junit.xml',
      'report/index.html',
      'results.json',
    ]);
    const artifacts = [
      { name: 'console', text: console },
      ...(await Promise.all(files.map(async (file) => ({ name: file, text: await readFile(file, 'utf8') })))),
    ];
    for (const { name, text } of artifacts) {
      for (const secret of [SERVICE_TOKEN, DB_PASSWORD, API_KEY, OPERATOR_PASSWORD])
        assert.equal(text.includes(secret), false, `${secret} in ${name}`);
      assert.match(text, /\[redacted:[a-z0-9_-]+#[0-9a-f]{6}\]/, `${name} shows placeholders`);
    }
    assert.match(console, /::error file=src\/scenarios\/operator\/o\.ts/);
  } finally {
    await rm(outputDir, { recursive: true, force: true });
  }
});
