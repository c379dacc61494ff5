/**
 * The helper thread behind `blocking` I/O. It owns one DB connection and one HTTP agent, does the real
 * I/O asynchronously on its own event loop, posts the answer and wakes the event-loop thread, which
 * has been sleeping in Atomics.wait the whole time (the same trick synckit uses).
 */
import { workerData } from 'node:worker_threads';
import { createUpstreamClient } from '../clients/upstream-client.ts';
import { createWorldStore } from '../clients/world-store.ts';
import { toErrorData } from './error-data.ts';
import type { SyncIoRequest, SyncIoResponse, SyncIoWorkerData } from './sync-io-protocol.ts';

const { databaseUrl, upstreamUrl, upstreamTimeoutMs, signal, port } = workerData as SyncIoWorkerData;
const state = new Int32Array(signal);
// One connection: the event-loop thread makes one synchronous call at a time, like a sync driver.
const db = createWorldStore(databaseUrl, 1);
const upstream = createUpstreamClient(upstreamUrl, upstreamTimeoutMs);

async function answer(request: SyncIoRequest): Promise<SyncIoResponse> {
  try {
    if (request.op === 'findWorld')
      return { seq: request.seq, ok: true, row: await db.findWorld(request.id, request.sleepMs) };
    return { seq: request.seq, ok: true, body: await upstream.get(request.path) };
  } catch (err) {
    return { seq: request.seq, ok: false, error: toErrorData(err) };
  }
}

port.on('message', async (request: SyncIoRequest) => {
  const response = await answer(request);
  const transfer = response.ok && response.body ? [response.body.buffer as ArrayBuffer] : [];
  // Post first, then flip the flag: the waiting thread drains the port only after it sees the flag.
  port.postMessage(response, transfer);
  Atomics.store(state, 0, 1);
  Atomics.notify(state, 0);
});

port.on('close', () => {
  void Promise.allSettled([db.close(1), upstream.close()]);
});
