/**
 * The Bridge's end of the Hub's invalidation stream (hub/events.ts): one
 * long `GET /internal/events`, each event applied to the cache before it is
 * acknowledged. The cache is live only between the stream's first line and
 * the moment it ends, fails, or stays silent for `SILENCE_MS` (the Hub
 * pings every second, and waits longer than this for an acknowledgement
 * before it gives up on a Bridge). Then the Bridge reconnects, asking the
 * Hub on every call until it is live again.
 */
import { internalPaths, serviceTokenValue, SERVICE_TOKEN_HEADER, type EventLine } from '../shared/contract.ts';
import type { CachedHub } from './hub-cache.ts';

export const SILENCE_MS = 3_000;
const RETRY_MS = [100, 250, 500, 1_000, 2_000];

export interface EventStream {
  stop(): void;
}

function parseLine(text: string): EventLine | undefined {
  try {
    const line = JSON.parse(text) as unknown;
    return typeof line === 'object' && line !== null && typeof (line as { type?: unknown }).type === 'string'
      ? (line as EventLine)
      : undefined;
  } catch {
    return undefined;
  }
}

export function followHubEvents(
  hubUrl: string,
  serviceToken: string,
  cache: CachedHub,
  log: (line: string) => void = () => undefined,
): EventStream {
  const base = hubUrl.replace(/\/+$/, '');
  const auth = { [SERVICE_TOKEN_HEADER]: serviceTokenValue(serviceToken) };
  let stopped = false;
  let current: AbortController | undefined;
  let lastSeen = 0;
  const watchdog = setInterval(() => {
    if (cache.live() && Date.now() - lastSeen > SILENCE_MS) current?.abort();
  }, 500);
  watchdog.unref();

  async function acknowledge(subscriber: string, seq: number, signal: AbortSignal): Promise<void> {
    const response = await fetch(`${base}${internalPaths.eventsAck}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ subscriber, seq }),
      signal,
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`ack answered ${response.status}`);
  }

  async function handle(line: EventLine, state: { subscriber: string }, signal: AbortSignal): Promise<void> {
    lastSeen = Date.now();
    if (line.type === 'hello') {
      state.subscriber = line.subscriber;
      cache.setLive(true);
    } else if (line.type === 'invalidate') {
      cache.invalidate(line);
      await acknowledge(state.subscriber, line.seq, signal);
    }
  }

  async function follow(signal: AbortSignal): Promise<void> {
    const response = await fetch(`${base}${internalPaths.events}`, { headers: auth, signal });
    if (!response.ok || !response.body) throw new Error(`events answered ${response.status}`);
    const state = { subscriber: '' };
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of response.body) {
      buffered += decoder.decode(chunk as Uint8Array, { stream: true });
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = parseLine(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        if (line) await handle(line, state, signal);
        newline = buffered.indexOf('\n');
      }
    }
  }

  async function loop(): Promise<void> {
    let attempt = 0;
    while (!stopped) {
      current = new AbortController();
      try {
        await follow(current.signal);
      } catch (error) {
        if (!stopped && cache.live())
          log(`events: stream lost (${error instanceof Error ? error.message : String(error)})`);
      }
      if (cache.live()) attempt = 0;
      cache.setLive(false);
      if (stopped) break;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]).unref());
      attempt += 1;
    }
  }

  void loop();
  return {
    stop() {
      stopped = true;
      clearInterval(watchdog);
      current?.abort();
    },
  };
}
