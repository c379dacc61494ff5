/**
 * A large JSON.parse + JSON.stringify round trip. Node has no asynchronous JSON API, so there is no
 * async form: the index lists only blocking and worker, and the harness runs only those.
 * Run it: npm run loadtest -- --workload-file examples/json/json.ts
 */
import type { WorkloadDefinition } from '../../server/workloads/workload.ts';

/** A document of `items` order-like records, serialised once per size (about 150 bytes each). */
const documents = new Map<number, string>();
function document(items: number): string {
  let text = documents.get(items);
  if (text === undefined) {
    const orders = Array.from({ length: items }, (_, i) => ({
      id: i,
      customer: `customer-${i % 1000}`,
      lines: [{ sku: `sku-${i % 317}`, quantity: (i % 7) + 1, price: ((i * 37) % 10_000) / 100 }],
      shipped: i % 3 === 0,
      note: i % 5 === 0 ? 'leave at the door' : null,
    }));
    text = JSON.stringify({ orders });
    documents.set(items, text);
  }
  return text;
}

const params = {
  items: { kind: 'int', min: 1, max: 200_000, default: 20_000, doc: 'records in the document (about 150 bytes each)' },
} as const;

export default {
  name: 'json',
  summary: 'JSON.parse of a document of `items` records, then JSON.stringify of the result: no async API exists.',
  params,
  modes: {
    blocking: 'JSON.parse and JSON.stringify on the event-loop thread',
    worker: 'the same inside a pool worker thread (the text is built there, not copied in)',
  },
  blocking({ items }) {
    const text = document(items);
    const parsed = JSON.parse(text) as { orders: unknown[] };
    return { items, bytesIn: text.length, orders: parsed.orders.length, bytesOut: JSON.stringify(parsed).length };
  },
  loadtest: { params: { items: 20_000 } },
  bound: { kind: 'cpu' },
} satisfies WorkloadDefinition<typeof params>;
