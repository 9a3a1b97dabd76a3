import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TranscriptEntry } from '../model/transcript.ts';
import type { ServiceLines } from '../stack/types.ts';
import { attemptWindow, collectScenarioLogs, LOG_SLACK_MS, selectScenarioLogs } from './scenario-logs.ts';

const MINE = '11111111-aaaa-4bbb-8ccc-000000000001';
const OTHER = '22222222-aaaa-4bbb-8ccc-000000000002';

function http(at: number, requestId: string): TranscriptEntry {
  return {
    kind: 'http',
    at,
    method: 'POST',
    url: 'http://127.0.0.1:1/call',
    requestHeaders: {},
    status: 200,
    responseHeaders: { 'x-request-id': requestId },
    responseBody: '{}',
    durationMs: 5,
  };
}

const transcript: TranscriptEntry[] = [
  http(1_010, MINE),
  { kind: 'cli', at: 1_300, argv: ['stk', 'apply'], exitCode: 1, stdout: '', stderr: 'boom', durationMs: 100 },
];

test("a scenario's lines: its request ids, the Hub's unknown ids only while its stk ran, id-less lines within its window", () => {
  const services: ServiceLines[] = [
    {
      service: 'bridge',
      lines: [
        { at: 900, text: 'before the scenario' },
        { at: 1_008, text: `POST /call 200 3ms id=${MINE}` },
        { at: 1_009, text: `POST /call 200 3ms id=${OTHER}` },
        { at: 1_250, text: `POST /call 200 3ms id=${OTHER}` },
        { at: 1_100, text: 'pool: connected' },
        { at: 1_400 + LOG_SLACK_MS + 1, text: 'long after' },
      ],
    },
    {
      service: 'hub',
      lines: [
        { at: 1_250, text: `POST /api/apply 400 9ms id=${OTHER}` },
        { at: 1_150, text: `GET /api/x 200 1ms id=33333333-aaaa-4bbb-8ccc-000000000003` },
      ],
    },
  ];
  const picked = selectScenarioLogs(services, attemptWindow(transcript, 1_000, 1_400));
  assert.deepEqual(picked, [
    { service: 'bridge', lines: [`POST /call 200 3ms id=${MINE}`, 'pool: connected'] },
    { service: 'hub', lines: [`POST /api/apply 400 9ms id=${OTHER}`] },
  ]);
});

test('collecting waits for the line of the last request to come through, then stops waiting', async () => {
  const lines: { at: number; text: string }[] = [];
  setTimeout(() => lines.push({ at: Date.now(), text: `POST /call 200 3ms id=${MINE}` }), 60);
  const from = Date.now();
  const picked = await collectScenarioLogs(
    () => [{ service: 'bridge', lines: [...lines] }],
    [http(from, MINE)],
    from,
    from + 1,
  );
  assert.deepEqual(picked, [{ service: 'bridge', lines: [`POST /call 200 3ms id=${MINE}`] }]);
});
