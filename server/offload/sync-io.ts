import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { SyncClients, WorldRow } from '../clients/index.ts';
import { RemoteError } from './error-data.ts';
import { siblingFile } from '../../lib/loader-args.ts';
import type { SyncIoRequest, SyncIoResponse, SyncIoWorkerData } from './sync-io-protocol.ts';

/**
 * Longest a single synchronous call may hold the event loop. Parameters bound each call to 10 s of
 * waiting and UPSTREAM_TIMEOUT_MS (≤ 60 s) bounds a call to a stalled upstream; this is the backstop
 * if the helper thread itself stops answering.
 */
const CALL_TIMEOUT_MS = 65_000;

export class SyncIoTimeoutError extends Error {
  override name = 'SyncIoTimeoutError';
  readonly code = 'SYNC_IO_TIMEOUT';
}

/** Genuinely synchronous DB and HTTP calls for `blocking` mode, plus a way to close the helper. */
export interface SyncIo extends SyncClients {
  close(): Promise<void>;
}

type Request = SyncIoRequest extends infer R ? (R extends unknown ? Omit<R, 'seq'> : never) : never;

/** Starts the helper thread that does the I/O while the event-loop thread waits on Atomics.wait. */
export function createSyncIo(databaseUrl: string, upstreamUrl: string, upstreamTimeoutMs: number): SyncIo {
  const signal = new SharedArrayBuffer(4);
  const state = new Int32Array(signal);
  const { port1: mine, port2: theirs } = new MessageChannel();
  const data: SyncIoWorkerData = { databaseUrl, upstreamUrl, upstreamTimeoutMs, signal, port: theirs };
  const worker = new Worker(siblingFile(import.meta.url, './sync-io-boot.cjs'), {
    workerData: data,
    transferList: [theirs],
  });
  let seq = 0;

  function call(request: Request): SyncIoResponse & { ok: true } {
    const id = ++seq;
    Atomics.store(state, 0, 0);
    mine.postMessage({ ...request, seq: id });
    const deadline = Date.now() + CALL_TIMEOUT_MS;
    for (;;) {
      // Drain before waiting; answers to earlier, timed-out calls are dropped by their seq.
      for (let msg = receiveMessageOnPort(mine); msg; msg = receiveMessageOnPort(mine)) {
        const response = msg.message as SyncIoResponse;
        if (response.seq !== id) continue;
        if (!response.ok) throw new RemoteError(response.error);
        return response;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        throw new SyncIoTimeoutError(`synchronous ${request.op} got no answer in ${CALL_TIMEOUT_MS} ms`);
      // This is the blocking: the event-loop thread sleeps here and serves nothing else.
      Atomics.wait(state, 0, 0, remaining);
      Atomics.store(state, 0, 0);
    }
  }

  return {
    findWorld(id, sleepMs): WorldRow {
      const { row } = call({ op: 'findWorld', id, sleepMs });
      if (!row) throw new Error('sync I/O helper answered findWorld without a row');
      return row;
    },
    getUpstream(path): Uint8Array {
      const { body } = call({ op: 'getUpstream', path });
      if (!body) throw new Error('sync I/O helper answered getUpstream without a body');
      return body;
    },
    async close() {
      mine.close();
      await worker.terminate();
    },
  };
}
