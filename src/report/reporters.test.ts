import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunReport, ScenarioResult } from '../model/results.ts';
import { createDotReporter } from './dot-reporter.ts';
import { createGithubReporter } from './github-reporter.ts';
import { createJsonReporter } from './json-reporter.ts';
import { renderJunit } from './junit-reporter.ts';
import { createListReporter } from './list-reporter.ts';
import { colorEnabled, createScreen, type Screen } from './screen.ts';

function captureScreen(color = false): Screen & { text: () => string } {
  let out = '';
  const stream = { write: (chunk: string) => ((out += chunk), true), isTTY: false } as unknown as NodeJS.WritableStream;
  const screen = createScreen({ color, stdout: stream, stderr: stream });
  return { ...screen, text: () => out };
}

const base = {
  file: 'src/scenarios/auth/a.ts',
  line: 7,
  domain: 'auth',
  capabilityStatus: 'implemented',
  attempts: 1,
  durationMs: 12,
  transcript: [],
  logTails: [],
} as const;

const passed: ScenarioResult = {
  ...base,
  id: 'src/scenarios/auth/a.ts::ok',
  name: 'ok',
  capability: 'AUTH-001',
  outcome: 'passed',
  passed: true,
};
const failed: ScenarioResult = {
  ...base,
  id: 'src/scenarios/auth/a.ts::bad <one>',
  name: 'bad <one>',
  capability: 'AUTH-001',
  outcome: 'failed',
  passed: false,
  error: { message: 'status: expected 403, got 200', expected: '403', actual: '200' },
  transcript: [
    {
      kind: 'http',
      at: 0,
      method: 'POST',
      url: 'http://127.0.0.1:1/call',
      requestHeaders: { authorization: 'Bearer v4.local.SECRETSECRET' },
      requestBody: '{"path":"db/items/select"}',
      status: 200,
      responseHeaders: {},
      responseBody: '{"data":[]}',
      durationMs: 3,
    },
    {
      kind: 'cli',
      at: 1,
      argv: ['stk', 'release', 'promote'],
      exitCode: 1,
      stdout: '',
      stderr: 'Error: SCHEMA_DRIFT',
      durationMs: 40,
    },
  ],
  logTails: [{ service: 'bridge', lines: ['POST /call 200'] }],
};
const expected: ScenarioResult = {
  ...base,
  id: 'x::e',
  name: 'e',
  capability: 'AUTH-002',
  capabilityStatus: 'planned',
  outcome: 'expected-failure',
  passed: false,
  domain: 'auth',
};
const crud: ScenarioResult = {
  ...base,
  file: 'src/scenarios/crud/c.ts',
  id: 'c::u',
  name: 'u',
  capability: 'CRUD-001',
  capabilityStatus: 'in_progress',
  outcome: 'unexpected-pass',
  passed: true,
  domain: 'crud',
};

const report: RunReport = {
  schemaVersion: 1,
  tool: 'santokit-it',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1500,
  status: 'failed',
  exitCode: 1,
  strict: false,
  stack: { kind: 'embedded', hubUrl: 'http://h', bridgeUrl: 'http://b', startMs: 900 },
  counts: { passed: 1, failed: 1, flaky: 0, 'expected-failure': 1, 'unexpected-pass': 1, skipped: 0 },
  capabilities: [
    {
      id: 'AUTH-001',
      title: 'Login',
      domain: 'auth',
      status: 'implemented',
      scenarios: 2,
      outcome: 'failed',
      durationMs: 24,
    },
    {
      id: 'AUTH-002',
      title: 'OIDC',
      domain: 'auth',
      status: 'planned',
      scenarios: 1,
      outcome: 'expected-failure',
      durationMs: 12,
    },
    {
      id: 'CRUD-001',
      title: 'Insert',
      domain: 'crud',
      status: 'in_progress',
      scenarios: 1,
      outcome: 'unexpected-pass',
      durationMs: 12,
    },
  ],
  scenarios: [passed, failed, expected, crud],
};

test('list reporter: live lines, capability summary, a failure that fits a screen, closing counts', async () => {
  const screen = captureScreen();
  const reporter = createListReporter(screen, { verbose: false, fullReport: '.santokit-it/report/index.html' });
  for (const result of report.scenarios) reporter.onScenarioEnd?.(result);
  await reporter.onRunEnd?.(report);
  const text = screen.text();
  assert.match(text, /✓ AUTH-001 {5}ok \(12 ms\)/);
  assert.match(text, /✗ AUTH-001 {5}bad <one>/);
  assert.match(text, /Capabilities\n.*AUTH-001 +implemented +2 scenarios +failed/);
  assert.match(text, /1\) AUTH-001 › bad <one> {2}src\/scenarios\/auth\/a\.ts:7/);
  assert.match(text, /expected: 403\n {3}actual: {3}200/);
  assert.match(text, /#1 POST \/call → 200 \(3 ms\)\n/, 'the step before the failure on one line');
  assert.match(
    text,
    /#2 the step that failed:\n +\$ stk release promote\n +exit 1 \(40 ms\)\n +stderr:\n +Error: SCHEMA_DRIFT/,
  );
  assert.match(text, /service logs:\n\s+\[bridge\] POST \/call 200/);
  assert.match(text, /full report: \.santokit-it\/report\/index\.html/);
  assert.match(text, /Unexpected passes: CRUD-001/);
  assert.match(text, /\n1 passed, 1 failed, 0 skipped\n$/);
  assert.doesNotMatch(text, /\u001b\[/, 'no colour codes when colour is off');
});

test('list reporter --verbose: the whole transcript, every header but the hop-by-hop ones', async () => {
  const screen = captureScreen();
  const withHeaders: ScenarioResult = {
    ...failed,
    transcript: failed.transcript.map((entry) =>
      entry.kind === 'http'
        ? {
            ...entry,
            responseHeaders: {
              'content-type': 'application/json',
              connection: 'keep-alive',
              date: 'Mon',
              'keep-alive': 'timeout=5',
              'content-length': '11',
              'transfer-encoding': 'chunked',
            },
          }
        : entry,
    ),
  };
  await createListReporter(screen, { verbose: true }).onRunEnd?.({ ...report, scenarios: [withHeaders] });
  const text = screen.text();
  assert.match(text, /→ POST http:\/\/127\.0\.0\.1:1\/call\n +authorization: Bearer v4\.local\.SECRETSECRET/);
  assert.match(text, /← 200 \(3 ms\)\n +content-type: application\/json\n +\{\n +"data": \[\]\n +\}/);
  assert.doesNotMatch(text, /^\s+(connection|date|keep-alive|content-length|transfer-encoding):/m);
  assert.match(text, /\[bridge\] 1 lines:\n\s+POST \/call 200/);
});

test('dot reporter: one mark per scenario', async () => {
  const screen = captureScreen();
  const reporter = createDotReporter(screen);
  for (const result of report.scenarios) reporter.onScenarioEnd?.(result);
  assert.equal(screen.text(), '.F○!');
});

test('github reporter: error for failures, warning for unexpected passes, at the scenario file and line', async () => {
  const screen = captureScreen();
  await createGithubReporter(screen).onRunEnd?.(report);
  const lines = screen.text().trim().split('\n');
  assert.deepEqual(lines, [
    '::error file=src/scenarios/auth/a.ts,line=7,title=AUTH-001 › bad <one>::status%3A expected 403, got 200'.replace(
      'status%3A',
      'status:',
    ),
    '::warning file=src/scenarios/crud/c.ts,line=7,title=CRUD-001 › u::passed although CRUD-001 is in_progress: promote its status',
  ]);
});

test('json reporter writes the report as results.json', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'stk-it-json-'));
  try {
    await createJsonReporter(dir).onRunEnd?.(report);
    assert.deepEqual(JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')), report);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('junit: one suite per domain, classname = capability, failure/skipped elements, escaped, transcript in system-out', () => {
  const xml = renderJunit(report);
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="santokit-it" tests="4" failures="1"/);
  assert.match(xml, /<testsuite name="auth" tests="3" failures="1" errors="0" skipped="1"/);
  assert.match(xml, /<testsuite name="crud" tests="1" failures="0"/);
  assert.match(
    xml,
    /<testcase name="bad &lt;one&gt;" classname="AUTH-001" file="src\/scenarios\/auth\/a.ts" line="7" time="0.012">/,
  );
  assert.match(xml, /<failure message="status: expected 403, got 200" type="assertion">/);
  assert.match(xml, /<skipped message="expected failure: AUTH-002 is planned"\/>/);
  assert.match(xml, /<system-out>→ POST http:\/\/127.0.0.1:1\/call/);
  assert.equal(xml.match(/<testcase /g)?.length, 4);
  assert.equal(xml.match(/<testsuite /g)?.length, xml.match(/<\/testsuite>/g)?.length);
  const strictXml = renderJunit({ ...report, strict: true });
  assert.match(strictXml, /<testsuite name="crud" tests="1" failures="1"/);
});

test('colour: --color wins, then FORCE_COLOR, then NO_COLOR, then the TTY', () => {
  assert.equal(colorEnabled(true, { NO_COLOR: '1' }, false), true);
  assert.equal(colorEnabled(false, { FORCE_COLOR: '1' }, true), false);
  assert.equal(colorEnabled(undefined, { FORCE_COLOR: '1' }, false), true);
  assert.equal(colorEnabled(undefined, { FORCE_COLOR: '0' }, true), false);
  assert.equal(colorEnabled(undefined, { NO_COLOR: '1' }, true), false);
  assert.equal(colorEnabled(undefined, {}, true), true);
  assert.equal(colorEnabled(undefined, {}, false), false);
  const coloured = captureScreen(true);
  createListReporter(coloured).onScenarioEnd?.(passed);
  assert.match(coloured.text(), /\u001b\[32m✓/);
});
