import type { MessagePort } from 'node:worker_threads';
import type { WorldRow } from '../clients/index.ts';
import type { ErrorData } from './error-data.ts';

/** A request from the event-loop thread to the sync-I/O helper thread. */
export type SyncIoRequest =
  | { seq: number; op: 'findWorld'; id: number; sleepMs: number }
  | { seq: number; op: 'getUpstream'; path: string };

/** The helper's answer; errors travel as plain data (name, message, code) to survive structured clone. */
export type SyncIoResponse =
  | { seq: number; ok: true; row?: WorldRow; body?: Uint8Array }
  | { seq: number; ok: false; error: ErrorData };

/** Settings the helper thread needs to open its own clients. */
export interface SyncIoWorkerData {
  databaseUrl: string;
  upstreamUrl: string;
  upstreamTimeoutMs: number;
  /** Int32Array over this buffer: 0 = waiting, 1 = an answer was posted. */
  signal: SharedArrayBuffer;
  port: MessagePort;
}
