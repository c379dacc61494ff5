import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { offAbort, onAbort } from '../../lib/abort-hook.ts';
import { RequestSignal } from '../../server/routes/request-signal.ts';

const never = () => new Promise<never>(() => {});
const response = () => new ServerResponse(new IncomingMessage(new Socket()));

describe('RequestSignal: one signal per workload request, and the wait it ends', () => {
  it('rejects the wait and aborts the signal at the deadline, as a TimeoutError', async () => {
    const request = new RequestSignal(response(), 20);
    await expect(request.race(never())).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(request.signal.aborted).toBe(true);
    expect(request.timedOut).toBe(true);
    expect(request.hungUp).toBe(false);
    request.dispose();
  });

  it("rejects the wait at once when Node's response closes before it is answered (a hang-up)", async () => {
    const res = response();
    const request = new RequestSignal(res, 60_000);
    const waiting = request.race(never());
    res.emit('close');
    await expect(waiting).rejects.toBe('Client connection prematurely closed.');
    expect(request.signal.aborted).toBe(true);
    expect(request.hungUp).toBe(true);
    request.dispose();
  });

  it("hears a hang-up through the request's own signal where there is no Node response", async () => {
    const client = new AbortController();
    const request = new RequestSignal(client.signal, 60_000);
    const waiting = request.race(never());
    client.abort('gone');
    await expect(waiting).rejects.toBe('gone');
    expect(request.hungUp).toBe(true);
    request.dispose();
  });

  it('settles with the work, and a close after the answer is not a hang-up', async () => {
    const res = response();
    const request = new RequestSignal(res, 60_000);
    await expect(request.race(Promise.resolve(42))).resolves.toBe(42);
    request.dispose();
    res.emit('close');
    expect(request.signal.aborted).toBe(false);
    expect(request.hungUp).toBe(false);
  });

  it('does not fire its deadline after dispose', async () => {
    const request = new RequestSignal(response(), 10);
    request.dispose();
    await sleep(40);
    expect(request.signal.aborted).toBe(false);
    expect(request.timedOut).toBe(false);
  });

  it('handles the failure of work it stopped waiting for (no unhandled rejection)', async () => {
    const request = new RequestSignal(response(), 10);
    let fail: (err: Error) => void = () => {};
    const work = new Promise<never>((_, reject) => {
      fail = reject;
    });
    await expect(request.race(work)).rejects.toMatchObject({ name: 'TimeoutError' });
    request.dispose();
    fail(new Error('late failure'));
    await sleep(10); // an unhandled rejection would fail the run here
  });
});

describe("RequestSignal's abort slot (lib/abort-hook.ts): the work's own listener without an EventTarget record", () => {
  it('calls a listener taken through the slot once, after the signal aborted, on a hang-up', () => {
    const res = response();
    const request = new RequestSignal(res, 60_000);
    const seen: boolean[] = [];
    onAbort(request.signal, () => seen.push(request.signal.aborted));
    res.emit('close');
    res.emit('close');
    expect(seen).toEqual([true]);
    request.dispose();
  });

  it('calls it at the deadline too, and a second listener through addEventListener as well', async () => {
    const request = new RequestSignal(response(), 10);
    const seen: string[] = [];
    onAbort(request.signal, () => seen.push('slot'));
    onAbort(request.signal, () => seen.push('event'));
    await sleep(40);
    expect(seen.sort()).toEqual(['event', 'slot']);
    request.dispose();
  });

  it('does not call a listener that was taken off, from the slot or from the signal', () => {
    const res = response();
    const request = new RequestSignal(res, 60_000);
    const seen: string[] = [];
    const first = () => seen.push('first');
    const second = () => seen.push('second');
    onAbort(request.signal, first);
    onAbort(request.signal, second);
    offAbort(request.signal, first);
    offAbort(request.signal, second);
    res.emit('close');
    expect(request.signal.aborted).toBe(true);
    expect(seen).toEqual([]);
    request.dispose();
  });

  it('falls back to a real listener on a signal without the slot', () => {
    const controller = new AbortController();
    const seen: string[] = [];
    onAbort(controller.signal, () => seen.push('heard'));
    controller.abort();
    expect(seen).toEqual(['heard']);
  });
});
