/**
 * A failing scenario in the console: by default what fits on a screen (the
 * assertion, expected/actual, the exchange that failed in full, the two
 * before it on a line each, the log lines of that exchange, where the whole
 * report is); with `--verbose`, everything the result holds.
 */
import type { ScenarioError, ScenarioResult } from '../model/results.ts';
import type { LogTail } from '../model/stack.ts';
import type { TranscriptEntry } from '../model/transcript.ts';
import {
  cutText,
  formatEntry,
  formatLogTails,
  formatTranscript,
  summarizeEntry,
  type Limit,
} from './format-transcript.ts';
import type { Colors } from './screen.ts';

export interface FailureViewOptions {
  readonly colors: Colors;
  readonly verbose: boolean;
  /** Where the whole result can be read (the HTML report or results.json); undefined when no file report is written. */
  readonly fullReport?: string;
}

const BODY_LIMIT: Limit = { lines: 16, chars: 1_600 };
const MESSAGE_LIMIT: Limit = { lines: 10, chars: 1_200 };
const VALUE_LIMIT: Limit = { lines: 6, chars: 600 };
const TRACEBACK_LINES = 12;
const LOG_LINES = 6;

/** The exchange the failure is about: the latest one its message quotes, else the latest one. */
export function failedEntryIndex(entries: readonly TranscriptEntry[], error: ScenarioError | undefined): number {
  const message = error?.message ?? '';
  let last = -1;
  for (let index = entries.length - 1; index >= 0; index -= 1) {
    const entry = entries[index] as TranscriptEntry;
    if (entry.kind === 'note') continue;
    if (last < 0) last = index;
    const quoted =
      entry.kind === 'http'
        ? entry.responseBody
        : entry.kind === 'cli'
          ? entry.stdout.trim() || entry.stderr.trim()
          : entry.text;
    const probe = quoted.slice(0, 60);
    if (probe.length >= 8 && message.includes(probe)) return index;
  }
  return last;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

export function renderFailure(result: ScenarioResult, index: number, options: FailureViewOptions): string {
  const { colors } = options;
  const lines = [
    colors.bold(`${index}) ${result.capability} › ${result.name}`) + colors.dim(`  ${result.file}:${result.line}`),
  ];
  if (result.attempts > 1) lines.push(colors.dim(`   failed ${result.attempts} attempts; the last is shown`));
  lines.push(...errorLines(result.error, options));
  const transcript = result.transcript;
  if (options.verbose) {
    if (transcript.length > 0) lines.push(colors.bold('   transcript:'), indent(formatTranscript(transcript), '     '));
    const logs = formatLogTails(result.logTails);
    if (logs) lines.push(colors.bold('   service logs:'), colors.dim(indent(logs, '     ')));
    return lines.join('\n');
  }
  const failed = failedEntryIndex(transcript, result.error);
  if (failed >= 0) lines.push(...exchangeLines(transcript, failed, colors));
  const logs = logLines(result.logTails, transcript[failed]);
  if (logs.length > 0) lines.push(colors.bold('   service logs:'), ...logs.map((line) => colors.dim(`     ${line}`)));
  lines.push(
    colors.dim(
      `   full report: ${options.fullReport ?? 'rerun with --reporter html (or --verbose) to see every exchange'}`,
    ),
  );
  return lines.join('\n');
}

function errorLines(error: ScenarioError | undefined, options: FailureViewOptions): string[] {
  const { colors, verbose } = options;
  const limit = verbose ? undefined : MESSAGE_LIMIT;
  // Node's assertion messages end with their own diff of expected/actual, shown once below instead.
  const message =
    error?.expected !== undefined
      ? (error.message.split(/\n+\+ actual - expected\b/)[0] ?? error.message)
      : (error?.message ?? 'failed');
  const lines = [colors.red(indent(cutText(message.replace(/\n\s*\n/g, '\n').trimEnd(), limit), '   '))];
  if (error?.expected !== undefined) {
    const value = (text: string) =>
      indent(cutText(text, verbose ? undefined : VALUE_LIMIT), '             ').trimStart();
    lines.push(
      `   expected: ${colors.green(value(error.expected))}`,
      `   actual:   ${colors.red(value(error.actual ?? ''))}`,
    );
  }
  const stack = (error?.stack ?? '').split('\n');
  const frames = stack.filter((line) => line.includes('/src/scenarios/')).slice(0, verbose ? undefined : 2);
  // A test without scenario frames (a pytest traceback, say): its own last lines say where it failed.
  const shown =
    frames.length > 0
      ? frames.map((line) => line.trim())
      : verbose
        ? stack.slice(1)
        : stack.slice(1).slice(-TRACEBACK_LINES);
  if (shown.length > 0 && shown.some((line) => line.trim() !== ''))
    lines.push(colors.dim(shown.map((line) => `   ${line}`).join('\n')));
  return lines;
}

function exchangeLines(entries: readonly TranscriptEntry[], failed: number, colors: Colors): string[] {
  const steps = entries
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry, index }) => entry.kind !== 'note' && index < failed);
  const before = steps.slice(-2);
  const lines: string[] = [];
  if (steps.length > before.length) lines.push(colors.dim(`   … ${steps.length - before.length} earlier steps`));
  for (const { entry, index } of before) lines.push(colors.dim(`   #${index + 1} ${summarizeEntry(entry)}`));
  const entry = entries[failed] as TranscriptEntry;
  lines.push(colors.bold(`   #${failed + 1} the step that failed:`), indent(formatEntry(entry, BODY_LIMIT), '     '));
  return lines;
}

/** In the short view: the lines of the failed exchange's request id, else the last few. */
function logLines(tails: readonly LogTail[], failed: TranscriptEntry | undefined): string[] {
  const requestId = failed?.kind === 'http' ? failed.responseHeaders['x-request-id'] : undefined;
  const all = tails.flatMap((tail) => tail.lines.map((line) => `[${tail.service}] ${line}`));
  const matching = requestId ? all.filter((line) => line.includes(requestId)) : [];
  const shown = (matching.length > 0 ? matching : all).slice(-LOG_LINES);
  const rest = all.length - shown.length;
  return rest > 0 ? [...shown, `… ${rest} more lines of this scenario in the full report`] : shown;
}
