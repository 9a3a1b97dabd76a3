import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunReport, ScenarioResult } from '../../model/results.ts';
import { renderHtmlReport } from './render-html.ts';
import type { ReportData } from './report-data.ts';

const base = {
  file: 'src/scenarios/crud/c.ts',
  line: 3,
  domain: 'crud',
  capabilityStatus: 'implemented',
  attempts: 1,
  durationMs: 5,
  logTails: [],
} as const;

const hostile = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';

const failing: ScenarioResult = {
  ...base,
  id: 'src/scenarios/crud/c.ts::update is gated',
  name: 'update is gated',
  capability: 'CRUD-002',
  outcome: 'failed',
  passed: false,
  error: { message: `expected HTTP 400, got 200 {"data":{"affected":3}}` },
  transcript: [
    { kind: 'note', at: 0, text: 'set up' },
    {
      kind: 'http',
      at: 1,
      method: 'POST',
      url: 'http://127.0.0.1:1/call',
      requestHeaders: { 'content-type': 'application/json', connection: 'keep-alive' },
      requestBody: hostile,
      status: 200,
      responseHeaders: { date: 'x', 'x-request-id': 'r-1' },
      responseBody: '{"data":{"affected":3}}',
      durationMs: 4,
    },
  ],
};
const pytest: ScenarioResult = {
  ...base,
  id: 'tests/test_x.py::test_y',
  file: 'tests/test_x.py',
  name: 'test_y',
  capability: 'CRUD-001',
  outcome: 'failed',
  passed: false,
  error: { message: 'assert 1 == 2', stack: 'Traceback (most recent call last):\n  File "tests/test_x.py", line 3' },
  transcript: [],
};

const report: RunReport = {
  schemaVersion: 1,
  tool: 'santokit-it',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 10,
  status: 'failed',
  exitCode: 1,
  strict: false,
  counts: { passed: 0, failed: 2, flaky: 0, 'expected-failure': 0, 'unexpected-pass': 0, skipped: 0 },
  capabilities: [
    {
      id: 'CRUD-002',
      title: hostile,
      domain: 'crud',
      status: 'implemented',
      scenarios: 1,
      outcome: 'failed',
      durationMs: 5,
    },
  ],
  scenarios: [failing, pytest],
};

function dataOf(html: string): ReportData {
  const match = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html);
  assert.ok(match, 'the data block is there and holds no "<"');
  return JSON.parse(match[1] ?? '') as ReportData;
}

test('one self-contained file: a policy forbidding every request, no external resource, data that cannot close its element', () => {
  const html = renderHtmlReport(report);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  assert.doesNotMatch(html, /<(link|img|iframe)\b|\bsrc=["']?http/i);
  assert.equal(html.split('</script>').length - 1, 2, 'only the data block and the page script close a script element');
  const data = dataOf(html);
  assert.equal(data.capabilities[0]?.title, hostile, 'the markup round-trips as text');
});

test('the data marks the failed step, drops hop-by-hop headers, keeps a test without a transcript', () => {
  const data = dataOf(renderHtmlReport(report));
  const [first, second] = data.scenarios;
  const steps = first?.runs[0]?.steps ?? [];
  assert.equal(steps.length, 2);
  const http = steps[1];
  assert.equal(http?.kind, 'http');
  if (http?.kind !== 'http') return;
  assert.equal(http.failed, true);
  assert.deepEqual(http.requestHeaders, [['content-type', 'application/json']]);
  assert.deepEqual(http.responseHeaders, [['x-request-id', 'r-1']]);
  assert.equal(http.responseBody, '{\n  "data": {\n    "affected": 3\n  }\n}');
  assert.equal(second?.runs[0]?.steps.length, 0);
  assert.match(second?.runs[0]?.error?.stack ?? '', /Traceback/);
});
