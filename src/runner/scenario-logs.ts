/**
 * The service log lines that belong to one scenario attempt, picked from the
 * stack's shared output. A line naming a request id (`id=…`, as the Hub and
 * Bridge log) belongs to the scenario when the id is one its exchanges got
 * back in `X-Request-Id`, or when it is the Hub's and arrived while the
 * scenario's own `stk` ran (stk speaks only to the Hub, and its requests
 * carry ids the scenario never sees); a line without an id belongs when it
 * arrived within the attempt's time window. With several jobs, lines of
 * other scenarios' requests are thus left out.
 */
import type { LogTail } from '../model/stack.ts';
import type { TranscriptEntry } from '../model/transcript.ts';
import type { ServiceLines } from '../stack/types.ts';

/** Output arrives through a pipe after the response it belongs to: how long after the end a line still counts. */
export const LOG_SLACK_MS = 500;
/** The service `stk` talks to. */
const CLI_SERVICE = 'hub';
/** Per service: a scenario that ran long next to a chatty service keeps its newest lines. */
export const MAX_LINES_PER_SERVICE = 300;

const REQUEST_ID = /\bid=([0-9A-Za-z][0-9A-Za-z_-]{7,})/;

export interface AttemptWindow {
  readonly from: number;
  readonly to: number;
  readonly requestIds: ReadonlySet<string>;
  /** When the scenario's `stk` ran: [start, end] in ms since the epoch. */
  readonly cliRuns: readonly (readonly [number, number])[];
}

export function requestIdOf(entry: TranscriptEntry): string | undefined {
  if (entry.kind !== 'http') return undefined;
  const header = Object.entries(entry.responseHeaders).find(([name]) => name.toLowerCase() === 'x-request-id');
  return header?.[1];
}

export function attemptWindow(transcript: readonly TranscriptEntry[], from: number, to: number): AttemptWindow {
  const requestIds = new Set<string>();
  const cliRuns: [number, number][] = [];
  for (const entry of transcript) {
    const id = requestIdOf(entry);
    if (id) requestIds.add(id);
    if (entry.kind === 'cli') cliRuns.push([entry.at - entry.durationMs, entry.at]);
  }
  return { from, to, requestIds, cliRuns };
}

function belongs(service: string, at: number, text: string, window: AttemptWindow): boolean {
  if (at < window.from || at > window.to + LOG_SLACK_MS) return false;
  const id = REQUEST_ID.exec(text)?.[1];
  if (id === undefined || window.requestIds.has(id)) return true;
  return service === CLI_SERVICE && window.cliRuns.some(([start, end]) => at >= start && at <= end + LOG_SLACK_MS);
}

export function selectScenarioLogs(services: readonly ServiceLines[], window: AttemptWindow): LogTail[] {
  return services.map(({ service, lines }) => {
    const picked = lines.filter((line) => belongs(service, line.at, line.text, window)).map((line) => line.text);
    if (picked.length <= MAX_LINES_PER_SERVICE) return { service, lines: picked };
    const left = picked.length - MAX_LINES_PER_SERVICE;
    return {
      service,
      lines: [`… ${left} earlier lines of this scenario left out`, ...picked.slice(-MAX_LINES_PER_SERVICE)],
    };
  });
}

/** Whether every request id the attempt got from these services already shows in their output. */
export function logsCaughtUp(services: readonly ServiceLines[], ids: ReadonlySet<string>): boolean {
  if (ids.size === 0) return true;
  const seen = new Set<string>();
  for (const { lines } of services) {
    for (const line of lines) {
      const id = REQUEST_ID.exec(line.text)?.[1];
      if (id !== undefined && ids.has(id)) seen.add(id);
    }
  }
  return seen.size === ids.size;
}

/** How long a failed attempt waits for its last request's log line to come through the pipe. */
export const LOG_SETTLE_MS = 500;
const SETTLE_POLL_MS = 25;

/**
 * The attempt's own lines, once the line of its last request has arrived (or
 * LOG_SETTLE_MS passed: a service that does not log `id=` costs that once).
 */
export async function collectScenarioLogs(
  linesSince: (from: number) => readonly ServiceLines[],
  transcript: readonly TranscriptEntry[],
  from: number,
  to: number,
): Promise<LogTail[]> {
  const last = transcript.map(requestIdOf).findLast((id) => id !== undefined);
  const deadline = Date.now() + LOG_SETTLE_MS;
  let services = linesSince(from);
  while (last !== undefined && !logsCaughtUp(services, new Set([last])) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    services = linesSince(from);
  }
  return selectScenarioLogs(services, attemptWindow(transcript, from, to));
}
