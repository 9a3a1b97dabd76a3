/**
 * Plain-text rendering of a scenario's transcript and log lines. Reports
 * receive results already redacted; this only decides what is worth showing:
 * hop-by-hop headers never are, JSON bodies are indented, long ones cut with
 * a marker saying how much is left out.
 */
import type { LogTail } from '../model/stack.ts';
import type { TranscriptEntry } from '../model/transcript.ts';
import { prettyJson } from './pretty-json.ts';

/** Connection-level headers: they describe the socket, not the exchange. */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'date',
  'content-length',
  'proxy-connection',
  'te',
  'trailer',
  'upgrade',
]);

/** How much of a body to print; undefined prints everything. */
export interface Limit {
  readonly lines: number;
  readonly chars: number;
}

export function shownHeaders(record: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(record).filter(([name]) => !HOP_BY_HOP_HEADERS.has(name.toLowerCase()));
}

/** Cuts to `limit` lines and characters; the marker says what was left out. */
export function cutText(text: string, limit: Limit | undefined): string {
  if (!limit) return text;
  const lines = text.split('\n');
  let kept = lines.slice(0, limit.lines).join('\n');
  if (kept.length > limit.chars) kept = kept.slice(0, limit.chars);
  if (kept.length === text.length) return text;
  const restLines = text.slice(kept.length).split('\n').length - 1;
  const what = restLines > 0 ? `${restLines} more lines, ` : '';
  return `${kept}\n… cut: ${what}${text.length - kept.length} more characters`;
}

export function formatBody(body: string, limit?: Limit): string {
  return cutText(prettyJson(body) ?? body, limit);
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

/** `POST /call` without the origin: every exchange goes to one of a few known services. */
export function shortUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

function oneLine(text: string, max = 100): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** One line per entry, for the steps before a failure. */
export function summarizeEntry(entry: TranscriptEntry): string {
  switch (entry.kind) {
    case 'http':
      return `${entry.method} ${shortUrl(entry.url)} → ${entry.status} (${entry.durationMs} ms)`;
    case 'cli':
      return `$ ${oneLine(entry.argv.join(' '), 80)} → exit ${entry.exitCode} (${entry.durationMs} ms)`;
    case 'sql':
      return `sql ${entry.database}: ${oneLine(entry.text, 70)} → ${entry.error ? `error: ${oneLine(entry.error, 40)}` : `${entry.rowCount ?? '-'} rows`}`;
    case 'note':
      return `# ${oneLine(entry.text)}`;
  }
}

/** The whole entry; with a limit, bodies and outputs are cut. */
export function formatEntry(entry: TranscriptEntry, limit?: Limit): string {
  switch (entry.kind) {
    case 'http': {
      const lines = [
        `→ ${entry.method} ${entry.url}`,
        ...shownHeaders(entry.requestHeaders).map(([name, value]) => `  ${name}: ${value}`),
      ];
      if (entry.requestBody) lines.push(indent(formatBody(entry.requestBody, limit), '  '));
      lines.push(
        `← ${entry.status} (${entry.durationMs} ms)`,
        ...shownHeaders(entry.responseHeaders).map(([name, value]) => `  ${name}: ${value}`),
      );
      if (entry.responseBody) lines.push(indent(formatBody(entry.responseBody, limit), '  '));
      return lines.join('\n');
    }
    case 'cli': {
      const lines = [
        `$ ${entry.argv.join(' ')}${entry.cwd ? `   (in ${entry.cwd})` : ''}`,
        `  exit ${entry.exitCode} (${entry.durationMs} ms)`,
      ];
      if (entry.stdout.trim()) lines.push('  stdout:', indent(cutText(entry.stdout.trimEnd(), limit), '    '));
      if (entry.stderr.trim()) lines.push('  stderr:', indent(cutText(entry.stderr.trimEnd(), limit), '    '));
      return lines.join('\n');
    }
    case 'sql':
      return `sql ${entry.database}: ${cutText(entry.text, limit)}\n  ${entry.error ? `error: ${entry.error}` : `rows: ${entry.rowCount ?? '-'}`} (${entry.durationMs} ms)`;
    case 'note':
      return `# ${entry.text}`;
  }
}

export function formatTranscript(entries: readonly TranscriptEntry[], limit?: Limit): string {
  return entries.map((entry) => formatEntry(entry, limit)).join('\n');
}

export function formatLogTails(tails: readonly LogTail[]): string {
  return tails
    .filter((tail) => tail.lines.length > 0)
    .map((tail) =>
      [`[${tail.service}] ${tail.lines.length} lines:`, ...tail.lines.map((line) => `  ${line}`)].join('\n'),
    )
    .join('\n');
}
