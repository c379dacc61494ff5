import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createSyncIo, type SyncIo } from '../../server/offload/sync-io.ts';
import type { NodeForm } from '../../seeds/forms.ts';
import { createPageClient, type PageClient } from '../../seeds/page-client.ts';
import type { BatchItem } from '../../seeds/pool-work.ts';
import { type FormClients, runForm, type Sample } from '../../seeds/run-form.ts';
import { median } from '../../seeds/stats.ts';

// A short I/O batch: 90 pages at 50 ms, 4.5 s sequentially — long enough that a pool's start-up (a Node
// thread or process loading its TypeScript) does not decide the order, as it did not in the texts.
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

/** Every form once per round, starting one form later each round, so a slow spell hits them all alike. */
async function interleaved(forms: NodeForm[]): Promise<Record<string, number>> {
  const samples = new Map<NodeForm, Sample[]>(forms.map((f) => [f, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < forms.length; i++) {
      const form = forms[(i + round) % forms.length] as NodeForm;
      samples.get(form)?.push(await runForm(form, items, { limit: POOL, threads: POOL, processes: POOL }, clients));
    }
  }
  return Object.fromEntries([...samples].map(([form, s]) => [form, median(s.map((x) => x.startMs + x.batchMs))]));
}

it('orders the I/O forms as the texts found: Promise.all ≪ a worker-thread pool < sequential, and a process pool slower than Promise.all and than a thread pool of its size', async () => {
  const t = await interleaved(['sync-client', 'promise-all', 'thread-pool', 'process-pool']);
  const sequential = t['sync-client'] as number;
  const all = t['promise-all'] as number;
  const threads = t['thread-pool'] as number;
  const processes = t['process-pool'] as number;
  const seen = JSON.stringify(t);
  // Sequential waits 90 × 50 ms; Promise.all overlaps them all; 3 threads overlap 3 at a time.
  expect(sequential, seen).toBeGreaterThanOrEqual(PAGES * LATENCY_MS);
  expect(all * 5, seen).toBeLessThan(sequential);
  expect(threads, seen).toBeGreaterThan(all);
  expect(threads, seen).toBeLessThan(sequential);
  // Same size, same waits: the processes lose by what it costs to start a Node process, not a thread.
  expect(processes, seen).toBeGreaterThan(all);
  expect(processes, seen).toBeGreaterThan(threads);
}, 120_000);
