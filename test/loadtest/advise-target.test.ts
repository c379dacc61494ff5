import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTargetAdvice } from '../../loadtest/advise/target-advice.ts';
import { DEFAULT_OPTIONS, runTarget } from '../../loadtest/index.ts';

/**
 * A server with a capacity of exactly 4: it serves 4 requests at a time, 50 ms each, and queues the rest
 * (never refuses). Whatever the machine's speed, its knee is at 4 in flight and Little's law gives 4.
 */
function fourAtATime(): Server {
  let busy = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    busy--;
    const next = waiting.shift();
    if (next) next();
  };
  return createServer(function serveFourAtATime(_req, res) {
    const serve = () => {
      busy++;
      setTimeout(() => {
        res.end('ok');
        release();
      }, 50);
    };
    if (busy < 4) serve();
    else waiting.push(serve);
  });
}

let server: Server;
let url: string;
beforeAll(async () => {
  server = fourAtATime();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/work`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('advise --target', () => {
  it('advises an in-flight limit of 4 ± 1 for a server that serves 4 requests at a time at 50 ms each', async () => {
    const results = await runTarget({
      ...DEFAULT_OPTIONS,
      target: url,
      connections: [1, 2, 4, 8, 16],
      duration: 2,
      warmup: 1,
      blame: false,
    });
    const advice = buildTargetAdvice(url, results);
    expect(advice).not.toBeNull();
    expect(Math.abs((advice?.limit ?? 0) - 4)).toBeLessThanOrEqual(1);
    // The knee is only the check: on a busy machine the load generator's own gaps can push it to 8,
    // the next level up, which still brackets Little's L (knee.ts).
    expect(advice?.agrees).toBe(true);
    expect(advice?.paragraph).toMatch(/Little's law/);
  }, 120_000);
});
