import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Deadlines, type Expiring } from '../../server/routes/deadlines.ts';

/** An item that notes when it expired (ms after `start`). */
function item(log: string[], name: string): Expiring {
  return { deadline: 0, previous: undefined, next: undefined, expire: () => log.push(name) };
}

describe('Deadlines: one timer for every request that shares a timeout', () => {
  it('expires each item at its own deadline, in the order they joined', async () => {
    const queue = new Deadlines(100);
    const log: string[] = [];
    const a = item(log, 'a');
    const b = item(log, 'b');
    queue.join(a);
    await sleep(50);
    queue.join(b);
    await sleep(70); // a is due (100 ms), b is not (100 ms after its join, ~30 ms from now)
    expect(log).toEqual(['a']);
    await sleep(80);
    expect(log).toEqual(['a', 'b']);
  });

  it('never expires an item that left, from the head, the middle or the tail', async () => {
    const queue = new Deadlines(20);
    const log: string[] = [];
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => item(log, n)) as [Expiring, Expiring, Expiring, Expiring];
    for (const x of [a, b, c, d]) queue.join(x);
    queue.leave(a);
    queue.leave(c);
    queue.leave(d);
    queue.leave(d); // twice: a no-op
    await sleep(45);
    expect(log).toEqual(['b']);
  });

  it('re-arms for the next head when the one it was armed for left before its deadline', async () => {
    const queue = new Deadlines(100);
    const log: string[] = [];
    const a = item(log, 'a');
    const b = item(log, 'b');
    queue.join(a);
    await sleep(50);
    queue.join(b);
    queue.leave(a); // the timer was armed for a; it fires at a's deadline and finds b not yet due
    await sleep(60);
    expect(log).toEqual([]);
    await sleep(90);
    expect(log).toEqual(['b']);
  });

  it('starts again after the queue emptied, with a fresh deadline for a new item', async () => {
    const queue = new Deadlines(100);
    const log: string[] = [];
    const a = item(log, 'a');
    queue.join(a);
    queue.leave(a);
    await sleep(120);
    const b = item(log, 'b');
    queue.join(b);
    await sleep(30);
    expect(log).toEqual([]);
    await sleep(120);
    expect(log).toEqual(['b']);
  });
});
