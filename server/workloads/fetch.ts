import { createHash } from 'node:crypto';
import type { AsyncClients } from '../clients/index.ts';
import { splitSignal } from './split-signal.ts';
import { defineWorkload } from './workload.ts';

/** Bounds across parameters: blocking mode makes the calls one after another and holds every body. */
const MAX_TOTAL_DELAY_MS = 30_000;
const MAX_TOTAL_BYTES = 32 * 1024 * 1024;

interface FetchParams {
  delay: number;
  bytes: number;
  count: number;
}

/** The only URL shape ever requested: built from validated integers, appended to the configured base. */
const upstreamPath = ({ delay, bytes }: FetchParams) => `/delay/${delay}?bytes=${bytes}`;

/** Proves the bodies were read: their total length and the SHA-256 of them in call order. */
function summarize(bodies: readonly Uint8Array[]) {
  const hash = createHash('sha256');
  let bytesReceived = 0;
  for (const body of bodies) {
    hash.update(body);
    bytesReceived += body.byteLength;
  }
  return { requests: bodies.length, bytesReceived, checksum: hash.digest('hex') };
}

async function fetchConcurrently(params: FetchParams, io: AsyncClients, signal?: AbortSignal) {
  const path = upstreamPath(params);
  const calls = splitSignal(signal, params.count).map((callSignal) => io.upstream.get(path, callSignal));
  return summarize(await Promise.all(calls));
}

export const fetchWorkload = defineWorkload({
  name: 'fetch',
  summary: 'Outbound HTTP calls to the upstream, which answers each after `delay` ms with `bytes` bytes.',
  params: {
    delay: {
      kind: 'int',
      min: 0,
      max: 10_000,
      default: 50,
      unit: 'ms',
      doc: 'how long the upstream waits before answering',
    },
    bytes: { kind: 'int', min: 0, max: 1_048_576, default: 1024, doc: 'size of each upstream response body' },
    count: {
      kind: 'int',
      min: 1,
      max: 100,
      default: 1,
      doc: `upstream calls per request; count × delay ≤ ${MAX_TOTAL_DELAY_MS} ms and count × bytes ≤ ${MAX_TOTAL_BYTES}`,
    },
  },
  modes: {
    blocking:
      'synchronous calls, one after another; the event loop waits on each (Atomics.wait on a helper thread doing the I/O)',
    async: 'all calls at once with undici over a keep-alive agent, awaited',
    worker: "the async form inside a pool worker thread, with that worker's own agent",
  },
  check({ delay, bytes, count }) {
    if (count * delay > MAX_TOTAL_DELAY_MS) {
      return {
        param: 'count',
        error: `count × delay must not exceed ${MAX_TOTAL_DELAY_MS} ms`,
        allowed: `whole number 1..${Math.max(1, Math.floor(MAX_TOTAL_DELAY_MS / Math.max(1, delay)))} for delay=${delay}`,
      };
    }
    if (count * bytes > MAX_TOTAL_BYTES) {
      return {
        param: 'count',
        error: `count × bytes must not exceed ${MAX_TOTAL_BYTES}`,
        allowed: `whole number 1..${Math.floor(MAX_TOTAL_BYTES / Math.max(1, bytes))} for bytes=${bytes}`,
      };
    }
    return undefined;
  },
  loadtest: { params: { delay: 50, bytes: 1024, count: 1 } },
  bound: {
    kind: 'wait',
    waits({ delay, count }) {
      if (delay <= 0) return null;
      return {
        blocking: { ms: count * delay, basis: `${count} call(s) of ${delay} ms in sequence` },
        async: { ms: delay, basis: `${delay} ms (calls of a request overlap)` },
        worker: { ms: delay, basis: `${delay} ms` },
      };
    },
  },
  faultDrill: { dependency: 'upstream', params: { delay: 20 } },
  blocking(params, io) {
    const path = upstreamPath(params);
    return summarize(Array.from({ length: params.count }, () => io.getUpstream(path)));
  },
  async: fetchConcurrently,
  inWorker: fetchConcurrently,
});
