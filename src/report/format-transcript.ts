/** Plain-text rendering of a scenario's transcript and log tails, with credentials masked. */
import type { TranscriptEntry } from '../model/transcript.ts';
import type { LogTail } from '../model/stack.ts';

const SECRET_HEADERS = new Set(['authorization', 'cookie', 'set-cookie', 'x-santokit-api-key', 'x-santokit-service-token']);
const BODY_LIMIT = 2_000;

export function maskSecret(value: string): string {
  const [scheme, token] = value.includes(' ') ? value.split(' ', 2) : ['', value];
  const visible = (token ?? '').slice(0, 6);
  return `${scheme ? `${scheme} ` : ''}${visible}…(masked)`;
}

function clip(text: string, limit = BODY_LIMIT): string {
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length - limit} more characters)` : text;
}

function indent(text: string, prefix = '    '): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

function headers(record: Readonly<Record<string, string>>): string[] {
  return Object.entries(record).map(([name, value]) => `${name}: ${SECRET_HEADERS.has(name.toLowerCase()) ? maskSecret(value) : value}`);
}

export function formatEntry(entry: TranscriptEntry): string {
  switch (entry.kind) {
    case 'http': {
      const lines = [`→ ${entry.method} ${entry.url}`, ...headers(entry.requestHeaders).map((line) => `  ${line}`)];
      if (entry.requestBody) lines.push(indent(clip(entry.requestBody), '  '));
      lines.push(`← ${entry.status} (${entry.durationMs} ms)`, ...headers(entry.responseHeaders).map((line) => `  ${line}`));
      if (entry.responseBody) lines.push(indent(clip(entry.responseBody), '  '));
      return lines.join('\n');
    }
    case 'cli': {
      const lines = [`$ ${entry.argv.join(' ')}${entry.cwd ? `   (in ${entry.cwd})` : ''}`, `  exit ${entry.exitCode} (${entry.durationMs} ms)`];
      if (entry.stdout.trim()) lines.push('  stdout:', indent(clip(entry.stdout.trimEnd())));
      if (entry.stderr.trim()) lines.push('  stderr:', indent(clip(entry.stderr.trimEnd())));
      return lines.join('\n');
    }
    case 'sql':
      return `sql ${entry.database}: ${clip(entry.text, 500)}\n  ${entry.error ? `error: ${entry.error}` : `rows: ${entry.rowCount ?? '-'}`} (${entry.durationMs} ms)`;
    case 'note':
      return `# ${entry.text}`;
  }
}

export function formatTranscript(entries: readonly TranscriptEntry[]): string {
  return entries.map(formatEntry).join('\n');
}

export function formatLogTails(tails: readonly LogTail[]): string {
  return tails
    .filter((tail) => tail.lines.length > 0)
    .map((tail) => [`[${tail.service}] last ${tail.lines.length} lines:`, ...tail.lines.map((line) => `  ${line}`)].join('\n'))
    .join('\n');
}
