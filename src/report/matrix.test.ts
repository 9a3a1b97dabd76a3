import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunReport } from '../model/results.ts';
import { renderCoverageMatrix } from './matrix.ts';
import { parseCapability } from '../plan/parse-capability.ts';

function document(id: string, status: string, refs: string[]) {
  const text = `---\nid: ${id}\ndomain: auth\ntitle: T ${id}\nstatus: ${status}\ntest_refs: [${refs.map((ref) => JSON.stringify(ref)).join(', ')}]\n---\n`;
  const parsed = parseCapability(`plan/capabilities/auth/${id}-x.md`, text);
  assert.equal(parsed.status, 'ok');
  if (parsed.status !== 'ok') throw new Error('unreachable');
  return parsed.document;
}

test('one row per scenario, planned capabilities with a dash row, last results from a report', () => {
  const documents = [
    document('AUTH-002', 'planned', []),
    document('AUTH-001', 'implemented', ['s/a.ts::one', 's/a.ts::two']),
  ];
  const report = {
    startedAt: '2026-01-01T00:00:00.000Z',
    status: 'passed',
    scenarios: [{ id: 's/a.ts::one', outcome: 'passed', durationMs: 1234 }],
  } as unknown as RunReport;
  const markdown = renderCoverageMatrix(documents, report);
  const rows = markdown.split('\n').filter((line) => line.startsWith('| AUTH'));
  assert.deepEqual(rows, [
    '| AUTH-001 | T AUTH-001 | implemented | `s/a.ts::one` | passed | 1.23 s |',
    '| AUTH-001 | T AUTH-001 | implemented | `s/a.ts::two` | not run | — |',
    '| AUTH-002 | T AUTH-002 | planned | — | — | — |',
  ]);
  assert.match(markdown, /Capabilities: 2 \(1 implemented, 0 in progress, 1 planned\)/);
});
