import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MODES } from '../server/workloads/workload.ts';
import {
  ITERATED_SHA256,
  PBKDF2_SHA256,
  PRIMES_UP_TO_100000,
  RFC7914_PBKDF2_SHA256,
  SCRYPT_R8_P1,
} from './helpers/digest-vectors.ts';
import { databaseObserver } from './helpers/observe.ts';
import { startTestApp, type TestApp } from './helpers/test-app.ts';

let app: TestApp;
let db: ReturnType<typeof databaseObserver>;
beforeAll(async () => {
  app = await startTestApp();
  db = databaseObserver(inject('databaseUrl'));
});
afterAll(async () => {
  await db.close();
  await app.close();
});

async function getJson(
  path: string,
): Promise<{ status: number; body: Record<string, unknown>; timing: string | null; elapsedMs: number }> {
  const started = performance.now();
  const res = await app.get(path);
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, body, timing: res.headers.get('server-timing'), elapsedMs: performance.now() - started };
}

/** Independent reference values, computed here without the server's code. */
const sumSquaresBelow = (n: bigint) => (n <= 0n ? 0n : ((n - 1n) * n * (2n * n - 1n)) / 6n);
function primesUpTo(n: number): number {
  let count = 0;
  for (let k = 2; k <= n; k++) {
    let prime = true;
    for (let d = 2; d * d <= k; d++)
      if (k % d === 0) {
        prime = false;
        break;
      }
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

describe.each(MODES)('%s mode', (mode) => {
  it('says which workload and mode ran and how long the work took, in the body and in Server-Timing', async () => {
    const { status, body, timing, elapsedMs } = await getJson(`/cpu/${mode}?n=3000000`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ workload: 'cpu', mode, params: { task: 'sum-squares', n: 3000000 } });
    // The work took some time, and no more than the whole round trip the caller saw.
    const durationMs = body['durationMs'] as number;
    expect(durationMs).toBeGreaterThan(0);
    expect(durationMs).toBeLessThanOrEqual(elapsedMs);
    expect(timing).toBe(`work;dur=${durationMs};desc="cpu/${mode}"`);
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

  it('derives the digests that OpenSSL and Python compute for the same inputs', async () => {
    expect((await getJson(`/hash/${mode}?algo=pbkdf2&cost=1000`)).body['digest']).toBe(PBKDF2_SHA256[1000]);
    expect((await getJson(`/hash/${mode}?algo=scrypt&cost=1024`)).body['digest']).toBe(SCRYPT_R8_P1[1024]);
    expect((await getJson(`/hash/${mode}?algo=sha256&cost=12345`)).body['digest']).toBe(ITERATED_SHA256[12345]);
  });

  it('reads every upstream byte and checksums them', async () => {
    const { status, body } = await getJson(`/fetch/${mode}?delay=5&bytes=3000&count=4`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ requests: 4, bytesReceived: 12_000, checksum: expectedFetchChecksum(3000, 4) });
  });

  it('returns the asked number of World rows, each as the table holds it', async () => {
    const { status, body } = await getJson(`/db/${mode}?queries=7&sleep=1`);
    expect(status).toBe(200);
    const rows = body['rows'] as Array<{ id: number; randomNumber: number }>;
    expect(rows).toHaveLength(7);
    const ids = rows.map((r) => r.id);
    const table = await db.sql<
      Array<{ id: number; randomNumber: number }>
    >`select id, randomnumber as "randomNumber" from world where id in ${db.sql(ids)}`;
    const byId = new Map(table.map((r) => [r.id, r.randomNumber]));
    for (const row of rows) expect(row).toEqual({ id: row.id, randomNumber: byId.get(row.id) });
  });
});

it.each([
  ['/hash/MODE', PBKDF2_SHA256[100000]],
  ['/hash/MODE?algo=scrypt', SCRYPT_R8_P1[16384]],
  ['/hash/MODE?algo=sha256', ITERATED_SHA256[20000]],
  ['/cpu/MODE?task=primes&n=100000', String(PRIMES_UP_TO_100000)],
])('gives the published result in every mode for %s', async (path, expected) => {
  const answers = await Promise.all(MODES.map(async (m) => (await getJson(path.replace('MODE', m))).body));
  expect(answers.map((b) => b['digest'] ?? b['result'])).toEqual(MODES.map(() => expected));
});

describe('the recorded digests', () => {
  const openssl = (args: string[]) =>
    promisify(execFile)('openssl', ['kdf', ...args]).then(({ stdout }) =>
      stdout.trim().replaceAll(':', '').toLowerCase(),
    );
  const hasOpenssl = promisify(execFile)('openssl', ['version']).then(
    () => true,
    () => false,
  );

  it('are what the openssl command line computes, and that command line matches RFC 7914', async ({ skip }) => {
    // CI installs openssl (.ci/run), so there a missing command fails this check instead of skipping it.
    if (!(await hasOpenssl) && process.env['CI'] !== 'true') skip('openssl is not on PATH');
    const v = RFC7914_PBKDF2_SHA256;
    expect(
      await openssl([
        '-keylen',
        String(v.keylen),
        '-kdfopt',
        'digest:SHA256',
        '-kdfopt',
        `pass:${v.pass}`,
        '-kdfopt',
        `salt:${v.salt}`,
        '-kdfopt',
        `iter:${v.iter}`,
        'PBKDF2',
      ]),
    ).toBe(v.hex);
    const fixed = ['-keylen', '32', '-kdfopt', 'pass:looplab-password', '-kdfopt', 'salt:looplab-salt'];
    for (const [iter, hex] of Object.entries(PBKDF2_SHA256))
      expect(await openssl([...fixed, '-kdfopt', 'digest:SHA256', '-kdfopt', `iter:${iter}`, 'PBKDF2'])).toBe(hex);
    for (const [n, hex] of Object.entries(SCRYPT_R8_P1)) {
      expect(
        await openssl([
          ...fixed,
          '-kdfopt',
          `n:${n}`,
          '-kdfopt',
          'r:8',
          '-kdfopt',
          'p:1',
          '-kdfopt',
          'maxmem_bytes:67108864',
          'SCRYPT',
        ]),
      ).toBe(hex);
    }
  });
});
