/**
 * The redactor under a run's load: every login adds a token, and every
 * transcript entry, log line and report passes through it. Cost per text must
 * stay flat as the run learns secrets, not grow with their number.
 */
import { randomBytes } from 'node:crypto';
import { createRedactor } from '../src/redact/redactor.ts';

const TOKENS = 600;

function transcriptEntry(token: string): string {
  const rows = Array.from({ length: 20 }, (_, id) => ({ id, name: `row ${id}` }));
  const request = { headers: { authorization: `Bearer ${token}` }, body: { rows } };
  return JSON.stringify({ request, response: { status: 200, text: 'ok' } });
}

/** Milliseconds for `count` tokens learned, each followed by its texts; a password learned every tenth. */
function workload(count: number): number {
  const redactor = createRedactor();
  const started = performance.now();
  for (let index = 0; index < count; index += 1) {
    const token = `v4.local.${randomBytes(90).toString('base64url')}`;
    redactor.addSecret(token, 'access-token');
    if (index % 10 === 0) redactor.addSecret(`pw-${randomBytes(8).toString('hex')}`, 'password');
    const entry = transcriptEntry(token);
    redactor.text(entry);
    redactor.value({ transcript: [entry, entry] });
  }
  return performance.now() - started;
}

export function redactBench(): Promise<string[]> {
  const small = workload(TOKENS / 10);
  const large = workload(TOKENS);
  return Promise.resolve([
    `${TOKENS} tokens learned, 3 texts each: ${large.toFixed(0)} ms (${((large / TOKENS) * 1000).toFixed(0)} µs per token)`,
    `${TOKENS / 10} tokens learned, 3 texts each: ${small.toFixed(0)} ms; cost per token ×${(large / TOKENS / (small / (TOKENS / 10))).toFixed(1)} at ten times the tokens (1 is flat)`,
  ]);
}
