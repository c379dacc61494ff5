import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
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
