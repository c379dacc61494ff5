import { iteratedSha256, pbkdf2Digest, pbkdf2DigestAsync, scryptDigest, scryptDigestAsync } from './hash-digests.ts';
import { runCooperatively, runToEnd } from './steps.ts';
import { defineWorkload } from './workload.ts';

const ALGOS = ['pbkdf2', 'scrypt', 'sha256'] as const;
type Algo = (typeof ALGOS)[number];

/** Per-algorithm range of `cost`, each bounded to about a second of one core. */
const COST_LIMITS: Readonly<Record<Algo, { min: number; max: number; allowed: string }>> = {
  pbkdf2: { min: 1, max: 4_000_000, allowed: 'whole number 1..4000000 (iterations)' },
  scrypt: { min: 1024, max: 131_072, allowed: 'power of two 1024..131072 (scrypt N)' },
  sha256: { min: 1, max: 1_000_000, allowed: 'whole number 1..1000000 (rounds)' },
};

const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

function digestSync(algo: Algo, cost: number): string {
  if (algo === 'pbkdf2') return pbkdf2Digest(cost);
  if (algo === 'scrypt') return scryptDigest(cost);
  return runToEnd(iteratedSha256(cost));
}

const result = (algo: Algo, cost: number, digest: string) => ({ algo, cost, digest });

export const hashWorkload = defineWorkload({
  name: 'hash',
  summary: 'Key derivation / iterated hashing of a fixed input: the same digest in every mode.',
  params: {
    algo: {
      kind: 'enum',
      values: ALGOS,
      default: 'pbkdf2',
      doc: 'pbkdf2 (sha256), scrypt (r=8, p=1) or iterated sha256',
    },
    cost: {
      kind: 'int',
      min: 1,
      max: COST_LIMITS.pbkdf2.max,
      default: 100_000,
      defaultBy: { param: 'algo', values: { scrypt: 16_384, sha256: 20_000 } },
      doc:
        'work factor: pbkdf2 iterations (1..4000000), scrypt N (power of two 1024..131072), ' +
        'sha256 rounds (1..1000000); default 100000 (16384 for scrypt, 20000 for sha256)',
    },
  },
  modes: {
    blocking: 'pbkdf2Sync / scryptSync / a sha256 loop on the event-loop thread',
    async:
      "crypto.pbkdf2 / crypto.scrypt, which run on libuv's thread pool (UV_THREADPOOL_SIZE, default 4): " +
      'already an offload; sha256 has no async API, so it runs in slices that yield to the event loop',
    worker: 'the synchronous form inside a pool worker thread',
  },
  check(params) {
    const limits = COST_LIMITS[params.algo];
    const { cost } = params;
    if (cost < limits.min || cost > limits.max || (params.algo === 'scrypt' && !isPowerOfTwo(cost))) {
      return { param: 'cost', error: `"cost" is out of range for algo ${params.algo}`, allowed: limits.allowed };
    }
    return undefined;
  },
  loadtest: { params: { algo: 'pbkdf2', cost: 100_000 } },
  // crypto.pbkdf2 and crypto.scrypt run on libuv's pool; the sliced sha256 loop stays on the event loop.
  bound: { kind: 'cpu', libuv: ({ algo }) => algo !== 'sha256' },
  blocking: ({ algo, cost }) => result(algo, cost, digestSync(algo, cost)),
  async async({ algo, cost }, _io, signal) {
    if (algo === 'pbkdf2') return result(algo, cost, await pbkdf2DigestAsync(cost));
    if (algo === 'scrypt') return result(algo, cost, await scryptDigestAsync(cost));
    return result(algo, cost, await runCooperatively(iteratedSha256(cost), signal));
  },
  inWorker: async ({ algo, cost }) => result(algo, cost, digestSync(algo, cost)),
});
