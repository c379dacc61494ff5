import { availableParallelism } from 'node:os';
import { expect, it } from 'vitest';
import type { NodeForm } from '../../seeds/forms.ts';
import type { BatchItem } from '../../seeds/pool-work.ts';
import { runForm, type Sample } from '../../seeds/run-form.ts';
import { median } from '../../seeds/stats.ts';

// Eight equal sums of squares, enough work that two cores split it evenly; the texts' function.
const items: BatchItem[] = Array.from({ length: 8 }, () => ({
  kind: 'cpu',
  task: { fn: 'sumOfSquares', n: 40_000_000 },
}));
const CORES = 2;
const ROUNDS = 3;
const noClients = { upstreamUrl: undefined, syncIo: undefined, client: undefined };

it.skipIf(availableParallelism() < CORES)(
  'gains from cores only: worker threads and processes each ≥ 1.5× sequential on 2 cores (pool started), Promise.all within 10% of sequential',
  async () => {
    const forms: NodeForm[] = ['sequential', 'promise-all', 'thread-pool', 'process-pool'];
    const samples = new Map<NodeForm, Sample[]>(forms.map((f) => [f, []]));
    // Interleaved rounds: a busy moment on a shared machine slows every form, not just one.
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < forms.length; i++) {
        const form = forms[(i + round) % forms.length] as NodeForm;
        samples
          .get(form)
          ?.push(await runForm(form, items, { limit: CORES, threads: CORES, processes: CORES }, noClients));
      }
    }
    const batch = (form: NodeForm) => median((samples.get(form) ?? []).map((s) => s.batchMs));
    const sequential = batch('sequential');
    const seen = JSON.stringify(Object.fromEntries(forms.map((f) => [f, Math.round(batch(f))])));
    expect(sequential / batch('thread-pool'), seen).toBeGreaterThanOrEqual(1.5);
    expect(sequential / batch('process-pool'), seen).toBeGreaterThanOrEqual(1.5);
    expect(Math.abs(batch('promise-all') / sequential - 1), seen).toBeLessThanOrEqual(0.1);
  },
  180_000,
);
