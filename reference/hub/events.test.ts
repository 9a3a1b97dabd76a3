/** The invalidation bus: a write waits for every subscriber's acknowledgement, or drops the silent one. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createEventBus } from './events.ts';

function subscriber(bus: ReturnType<typeof createEventBus>) {
  const lines: { type: string; seq?: number }[] = [];
  let closed = false;
  const id = bus.subscribe(
    (line) => lines.push(JSON.parse(line) as { type: string; seq?: number }),
    () => (closed = true),
  );
  return { id, lines, closed: () => closed };
}

describe('event bus', () => {
  test('publish resolves only after every subscriber acknowledged the event', async () => {
    const bus = createEventBus(undefined, { ackDeadlineMs: 5_000, heartbeatMs: 60_000 });
    const a = subscriber(bus);
    const b = subscriber(bus);
    let done = false;
    const published = bus.publish({ scope: 'apikey', key_id: 'k1' }).then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    const seq = a.lines.find((line) => line.type === 'invalidate')?.seq;
    assert.equal(typeof seq, 'number');
    assert.deepEqual(b.lines.at(-1), { type: 'invalidate', seq, scope: 'apikey', key_id: 'k1' });
    assert.equal(bus.acknowledge(a.id, seq!), true);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(done, false, 'b has not acknowledged yet');
    assert.equal(bus.acknowledge(b.id, seq!), true);
    await published;
    assert.equal(bus.acknowledge(b.id, seq!), false, 'an ack counts once');
    bus.close();
  });

  test('a subscriber that does not acknowledge in time is dropped and its stream closed', async () => {
    const bus = createEventBus(undefined, { ackDeadlineMs: 50, heartbeatMs: 60_000 });
    const silent = subscriber(bus);
    const started = Date.now();
    await bus.publish({ scope: 'release', project: 'p', env: 'dev' });
    assert.ok(Date.now() - started >= 45);
    assert.equal(silent.closed(), true);
    assert.equal(bus.size(), 0);
    await bus.publish({ scope: 'release', project: 'p', env: 'dev' });
    bus.close();
  });

  test('with no subscriber publish resolves at once; heartbeats reach every subscriber', async () => {
    const bus = createEventBus(undefined, { heartbeatMs: 10 });
    await bus.publish({ scope: 'keys', project: 'p', env: 'dev' });
    const a = subscriber(bus);
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.ok(a.lines.some((line) => line.type === 'ping'));
    bus.close();
    assert.equal(a.closed(), true);
  });
});
