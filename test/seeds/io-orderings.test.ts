import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createSyncIo, type SyncIo } from '../../server/offload/sync-io.ts';
import type { NodeForm } from '../../seeds/forms.ts';
import { createPageClient, type PageClient } from '../../seeds/page-client.ts';
import type { BatchItem } from '../../seeds/pool-work.ts';
import { type FormClients, runForm, type Sample } from '../../seeds/run-form.ts';
import { median } from '../../seeds/stats.ts';

// A short I/O batch: 90 pages at 50 ms, 4.5 s sequentially, long enough that the forms' overlap of the
// waits, not noise, decides their order.
const PAGES = 90;
const LATENCY_MS = 50;
const POOL = 3;
const ROUNDS = 3;
const items: BatchItem[] = Array.from({ length: PAGES }, () => ({
  kind: 'io',
  path: `/delay/${LATENCY_MS}?bytes=2000`,
}));

let syncIo: SyncIo;
let client: PageClient;
let clients: FormClients;
beforeAll(() => {
  const upstreamUrl = inject('upstreamUrl');
  syncIo = createSyncIo(inject('databaseUrl'), upstreamUrl, 10_000);
  client = createPageClient(upstreamUrl);
  clients = { upstreamUrl, syncIo, client };
  // The synchronous client's helper thread boots on its first call: not part of any form's time.
  syncIo.getUpstream('/delay/0');
});
afterAll(async () => {
  client?.close();
  await syncIo?.close();
});

/**
 * Every form once per round, starting one form later each round, so a slow spell hits them all alike.
 * Returns each form's median time with its pool's start-up (as the texts timed) and without it.
 */
async function interleaved(forms: NodeForm[]): Promise<Record<string, { total: number; batch: number }>> {
  const samples = new Map<NodeForm, Sample[]>(forms.map((f) => [f, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < forms.length; i++) {
      const form = forms[(i + round) % forms.length] as NodeForm;
      samples.get(form)?.push(await runForm(form, items, { limit: POOL, threads: POOL, processes: POOL }, clients));
    }
  }
  return Object.fromEntries(
    [...samples].map(([form, s]) => [
      form,
      { total: median(s.map((x) => x.startMs + x.batchMs)), batch: median(s.map((x) => x.batchMs)) },
    ]),
  );
}

it('orders the I/O forms as the texts found: Promise.all ≪ a worker-thread pool < sequential, and a process pool slower than Promise.all and than a thread pool of its size', async () => {
  const t = await interleaved(['sync-client', 'promise-all', 'thread-pool', 'process-pool']);
  const seen = JSON.stringify(t);
  const sequential = t['sync-client']?.total as number;
  const all = t['promise-all']?.total as number;
  const threads = t['thread-pool'] as { total: number; batch: number };
  const processes = t['process-pool'] as { total: number; batch: number };
  // Sequential waits 90 × 50 ms; Promise.all overlaps them all.
  expect(sequential, seen).toBeGreaterThanOrEqual(PAGES * LATENCY_MS);
  expect(all * 5, seen).toBeLessThan(sequential);
  // Three threads overlap three waits at a time: in between, once started. (Their start-up, small on a
  // quiet machine, takes seconds on a loaded one; a Python thread's costs next to nothing.)
  expect(threads.batch, seen).toBeGreaterThan(all);
  expect(threads.batch, seen).toBeLessThan(sequential);
  // Same size, same waits: the processes lose, start-up included, by what a Node process costs to start
  // over a thread, as multiprocessing lost to threads in the texts.
  expect(processes.total, seen).toBeGreaterThan(all);
  expect(processes.total, seen).toBeGreaterThan(threads.total);
}, 120_000);
