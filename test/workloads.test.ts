import { createHash, pbkdf2Sync, scryptSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODES } from '../server/workloads/workload.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

async function getJson(path: string): Promise<{ status: number; body: Record<string, unknown>; timing: string | null }> {
  const res = await app.get(path);
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, timing: res.headers.get('server-timing') };
}

/** Independent reference values, computed here without the server's code. */
const sumSquaresBelow = (n: bigint) => (n <= 0n ? 0n : ((n - 1n) * n * (2n * n - 1n)) / 6n);
function primesUpTo(n: number): number {
  let count = 0;
  for (let k = 2; k <= n; k++) {
    let prime = true;
    for (let d = 2; d * d <= k; d++) if (k % d === 0) { prime = false; break; }
    if (prime) count++;
  }
  return count;
}
function expectedFetchChecksum(bytes: number, count: number): string {
  const body = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) body[i] = (i * 131 + 7) % 256;
  const hash = createHash('sha256');
  for (let i = 0; i < count; i++) hash.update(body);
  return hash.digest('hex');
}
function sha256Rounds(rounds: number): string {
  let d = createHash('sha256').update('looplab-password').update('looplab-salt').digest();
  for (let i = 0; i < rounds; i++) d = createHash('sha256').update(d).digest();
  return d.toString('hex');
}

describe.each(MODES)('%s mode', (mode) => {
  it('says which workload and mode ran and how long it took', async () => {
    const { status, body, timing } = await getJson(`/cpu/${mode}?n=1000`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ workload: 'cpu', mode, params: { task: 'sum-squares', n: 1000 } });
    expect(body['durationMs']).toBeTypeOf('number');
    expect(timing).toMatch(new RegExp(`^work;dur=[0-9.]+;desc="cpu/${mode}"$`));
  });

  it('computes sum-squares exactly, also past 2^53', async () => {
    for (const n of [0, 1, 10, 3_000_000, 120_000_000]) {
      const { status, body } = await getJson(`/cpu/${mode}?task=sum-squares&n=${n}`);
      expect(status).toBe(200);
      expect(body['result']).toBe(sumSquaresBelow(BigInt(n)).toString());
    }
  });

  it('counts primes like trial division does', async () => {
    for (const n of [0, 2, 97, 20_000]) {
      const { body } = await getJson(`/cpu/${mode}?task=primes&n=${n}`);
      expect(body['result']).toBe(String(primesUpTo(n)));
    }
  });

  it('derives the same digests as node:crypto called directly', async () => {
    const pbkdf2 = await getJson(`/hash/${mode}?algo=pbkdf2&cost=1000`);
    expect(pbkdf2.body['digest']).toBe(pbkdf2Sync('looplab-password', 'looplab-salt', 1000, 32, 'sha256').toString('hex'));
    const scrypt = await getJson(`/hash/${mode}?algo=scrypt&cost=1024`);
    expect(scrypt.body['digest']).toBe(scryptSync('looplab-password', 'looplab-salt', 32, { N: 1024, r: 8, p: 1 }).toString('hex'));
    const sha = await getJson(`/hash/${mode}?algo=sha256&cost=12345`);
    expect(sha.body['digest']).toBe(sha256Rounds(12345));
  });

  it('reads every upstream byte and checksums them', async () => {
    const { status, body } = await getJson(`/fetch/${mode}?delay=5&bytes=3000&count=4`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ requests: 4, bytesReceived: 12_000, checksum: expectedFetchChecksum(3000, 4) });
  });

  it('returns the asked number of World rows, all within 1..10000', async () => {
    const { status, body } = await getJson(`/db/${mode}?queries=7&sleep=1`);
    expect(status).toBe(200);
    const rows = body['rows'] as Array<{ id: number; randomNumber: number }>;
    expect(rows).toHaveLength(7);
    for (const row of rows) {
      expect(row.id).toBeGreaterThanOrEqual(1);
      expect(row.id).toBeLessThanOrEqual(10_000);
      expect(row.randomNumber).toBeGreaterThanOrEqual(1);
      expect(row.randomNumber).toBeLessThanOrEqual(10_000);
    }
  });
});

it('gives the same results in every mode for the default parameters', async () => {
  for (const path of ['/hash/MODE', '/hash/MODE?algo=scrypt', '/cpu/MODE?task=primes&n=100000']) {
    const answers = await Promise.all(MODES.map(async (m) => (await getJson(path.replace('MODE', m))).body));
    const results = answers.map((b) => b['digest'] ?? b['result']);
    expect(new Set(results).size).toBe(1);
    expect(results[0]).toBeTypeOf('string');
  }
});
