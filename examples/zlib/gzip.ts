/**
 * gzip a buffer three ways: `zlib.gzipSync` on the event loop, `zlib.gzip` (the work runs on libuv's
 * thread pool, UV_THREADPOOL_SIZE, default 4), and gzipSync inside a pool worker thread.
 * Run it: WORKLOADS=examples/zlib/gzip.ts npm start; npm run loadtest -- --workload-file examples/zlib/gzip.ts
 */
import { gzip, gzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import type { WorkloadDefinition } from '../../server/workloads/workload.ts';

const gzipAsync = promisify(gzip);

/** Compressible but not trivial input (repeated text with a counter), built once per size. */
const inputs = new Map<number, Buffer>();
function input(kb: number): Buffer {
  let buffer = inputs.get(kb);
  if (!buffer) {
    const lines: string[] = [];
    for (let i = 0; lines.length * 48 < kb * 1024; i++)
      lines.push(`line ${i}: the quick brown fox jumps over ${i % 97}\n`);
    buffer = Buffer.from(lines.join('')).subarray(0, kb * 1024);
    inputs.set(kb, buffer);
  }
  return buffer;
}

const params = {
  kb: { kind: 'int', min: 1, max: 8192, default: 1024, unit: 'KiB', doc: 'input size' },
  level: { kind: 'int', min: 1, max: 9, default: 6, doc: 'zlib compression level' },
} as const;
type Params = { kb: number; level: number };
const result = ({ kb, level }: Params, out: Buffer) => ({ kb, level, gzippedBytes: out.byteLength });

// A plain object: `satisfies` only checks it against looplab's type (erased at run time).
export default {
  name: 'gzip',
  summary: 'gzip kb KiB of text at a compression level: zlib.gzipSync, zlib.gzip (libuv pool) or gzipSync in a worker.',
  params,
  modes: {
    blocking: 'zlib.gzipSync on the event-loop thread',
    async: "zlib.gzip: the compression runs on libuv's thread pool; the event loop only waits",
    worker: 'zlib.gzipSync inside a pool worker thread',
  },
  blocking: (p) => result(p, gzipSync(input(p.kb), { level: p.level })),
  async: async (p) => result(p, await gzipAsync(input(p.kb), { level: p.level })),
  loadtest: { params: { kb: 1024, level: 6 } },
  bound: { kind: 'cpu', libuv: () => true },
} satisfies WorkloadDefinition<typeof params>;
