import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTeardownStack } from './teardown-stack.ts';

describe('createTeardownStack', () => {
  it('runs teardowns newest first, each once', async () => {
    const order: string[] = [];
    const stack = createTeardownStack();
    for (const name of ['db', 'hub', 'bridge']) stack.defer(name, async () => void order.push(name));
    assert.equal(stack.size, 3);
    assert.deepEqual(await stack.runAll(), []);
    assert.deepEqual(await stack.runAll(), []);
    assert.deepEqual(order, ['bridge', 'hub', 'db']);
    assert.equal(stack.size, 0);
  });

  it('collects failures and missed deadlines and still runs the rest', async () => {
    const ran: string[] = [];
    const stack = createTeardownStack();
    stack.defer('first', async () => void ran.push('first'));
    stack.defer('throws', () => {
      throw new Error('boom');
    });
    stack.defer('hangs', () => new Promise<void>(() => undefined));
    const failures = await stack.runAll({ deadlineMs: 50 });
    assert.deepEqual(
      failures.map((f) => f.name),
      ['hangs', 'throws'],
    );
    assert.match(failures[0]?.message ?? '', /did not finish within 50 ms/);
    assert.match(failures[1]?.message ?? '', /boom/);
    assert.deepEqual(ran, ['first']);
  });

  it('runs teardowns registered while it is running', async () => {
    const order: string[] = [];
    const stack = createTeardownStack();
    stack.defer('outer', async () => {
      order.push('outer');
      stack.defer('late', async () => void order.push('late'));
    });
    await stack.runAll();
    assert.deepEqual(order, ['outer', 'late']);
  });
});
