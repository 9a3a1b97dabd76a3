/**
 * Cache invalidation from the Hub to every connected Bridge.
 *
 * A Bridge subscribes with `GET /internal/events` (a stream of JSON lines)
 * and acknowledges each event with `POST /internal/events/ack`. A write
 * that changes what a Bridge may have cached (an API key revoked, a release
 * pointer moved, a connection changed, an env created) publishes an event
 * after its transaction commits and answers its caller only once every
 * subscriber has acknowledged it, so "after the Hub answered" also means
 * "after every Bridge forgot". A subscriber that does not acknowledge
 * within `ACK_DEADLINE_MS` is dropped: its stream is closed, and a Bridge
 * whose stream closes (or falls silent for longer than its own bound, which
 * is shorter than this deadline) stops trusting its caches.
 */
import { randomUUID } from 'node:crypto';
import type { InvalidationEvent } from '../shared/contract.ts';

export const HEARTBEAT_MS = 1_000;
export const ACK_DEADLINE_MS = 5_000;

interface Subscriber {
  readonly id: string;
  readonly send: (line: string) => void;
  readonly close: () => void;
  readonly waiting: Map<number, () => void>;
}

export interface EventBus {
  /** Registers a stream; the returned id is the first line the Bridge reads. */
  subscribe(send: (line: string) => void, close: () => void): string;
  unsubscribe(id: string): void;
  acknowledge(id: string, seq: number): boolean;
  /** Sends the event to every subscriber and resolves once each acknowledged it or was dropped. */
  publish(event: InvalidationEvent): Promise<void>;
  /** Subscribers right now (tests, logs). */
  size(): number;
  /** Closes every stream and stops the heartbeat. */
  close(): void;
}

export interface EventBusOptions {
  readonly heartbeatMs?: number;
  readonly ackDeadlineMs?: number;
}

export function createEventBus(log: (line: string) => void = () => undefined, options: EventBusOptions = {}): EventBus {
  const subscribers = new Map<string, Subscriber>();
  const deadline = options.ackDeadlineMs ?? ACK_DEADLINE_MS;
  let seq = 0;
  const heartbeat = setInterval(() => {
    for (const subscriber of subscribers.values()) subscriber.send(JSON.stringify({ type: 'ping' }));
  }, options.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();

  function drop(subscriber: Subscriber, why: string): void {
    if (!subscribers.delete(subscriber.id)) return;
    for (const release of subscriber.waiting.values()) release();
    subscriber.waiting.clear();
    log(`events: dropped subscriber ${subscriber.id} (${why})`);
    subscriber.close();
  }

  function deliver(subscriber: Subscriber, number: number, line: string): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => drop(subscriber, `no ack of event ${number} within ${deadline} ms`), deadline);
      subscriber.waiting.set(number, () => {
        clearTimeout(timer);
        resolve();
      });
      subscriber.send(line);
    });
  }

  return {
    subscribe(send, close) {
      const id = randomUUID();
      subscribers.set(id, { id, send, close, waiting: new Map() });
      return id;
    },
    unsubscribe(id) {
      const subscriber = subscribers.get(id);
      if (subscriber) drop(subscriber, 'stream closed');
    },
    acknowledge(id, number) {
      const release = subscribers.get(id)?.waiting.get(number);
      if (!release) return false;
      subscribers.get(id)?.waiting.delete(number);
      release();
      return true;
    },
    async publish(event) {
      seq += 1;
      const line = JSON.stringify({ type: 'invalidate', seq, ...event });
      await Promise.all([...subscribers.values()].map((subscriber) => deliver(subscriber, seq, line)));
    },
    size: () => subscribers.size,
    close() {
      clearInterval(heartbeat);
      for (const subscriber of [...subscribers.values()]) drop(subscriber, 'hub stopping');
    },
  };
}
