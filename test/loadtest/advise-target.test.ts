import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetLead } from '../../loadtest/advise/render.ts';
import { buildTargetAdvice } from '../../loadtest/advise/target-advice.ts';
import { leadText } from '../../loadtest/report/report-lead.ts';
import { FIXTURE_LINES, PRELOAD, startFixture, writeBlameServer } from '../helpers/blame-fixture.ts';
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

describe('advise --target with --blame-url', () => {
  it('names the function to move off the loop by file:line and share of the stalled time, from a server run with the preload', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'looplab-advise-blame-'));
    const fixture = await startFixture(writeBlameServer(dir), dir, ['--import', PRELOAD], {
      LOOPLAB_BLAME_PORT: '0',
      STALL_THRESHOLD_MS: '20',
    });
    try {
      const blameUrl = /report at (http:\/\/\S+?)\/?\s/.exec(fixture.output())?.[1];
      expect(blameUrl, fixture.output()).toBeDefined();
      // Each request holds the loop for 40 ms of CPU in blockFor: nearly all the stall time is its.
      const target = `${fixture.url}/block?n=40`;
      const results = await runTarget({
        ...DEFAULT_OPTIONS,
        target,
        blameUrl,
        connections: [1, 2],
        duration: 2,
        warmup: 1,
      });
      const advice = buildTargetAdvice(target, results);
      const moveOff = advice?.moveOff;
      expect(moveOff?.stalls, JSON.stringify(moveOff)).toBeGreaterThan(0);
      expect(moveOff?.functions[0]).toMatchObject({
        frame: 'blockFor',
        file: 'server.mjs',
        line: FIXTURE_LINES.blockFor,
      });
      // Wide margin: on a busy machine part of the stall time is a wait for a CPU, which is nobody's.
      expect(moveOff?.functions[0]?.share).toBeGreaterThan(0.3);
      expect(moveOff?.functions[0]?.share).toBeLessThanOrEqual(1);
      expect(advice?.paragraph).toMatch(
        /move these off it .* by share of the stalled time: blockFor server\.mjs:5 (\(calling \w+\) )?\d+%/,
      );
      // The terminal (and both reports) list it in the functions table.
      const text = leadText(targetLead(advice as NonNullable<typeof advice>));
      expect(text).toMatch(/^blockFor +server\.mjs:5 +\S+ +\S+ (ms|s) +\d+%$/m);
      expect(text).not.toMatch(/node:/);
    } finally {
      fixture.child.kill('SIGTERM');
      await fixture.exited;
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
