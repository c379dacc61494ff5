import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOpenModel } from '../../loadtest/measure/open-model.ts';
import { runScenario } from '../../loadtest/measure/scenario.ts';
import { waitUntilSettled } from '../../loadtest/measure/settle.ts';
import type { Scenario } from '../../loadtest/types.ts';

/**
 * The harness's figures against a server whose answers are known exactly (fixtures/refusing-server.cjs,
 * in its own process): every third /work request is a 200 after 20 ms, the rest are instant 503s. The
 * server's own counts are the hand-made expectation.
 */
let child: ChildProcess;
let origin: string;
beforeAll(async () => {
  child = fork(new URL('./fixtures/refusing-server.cjs', import.meta.url), {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [port] = (await once(child, 'message')) as [number];
  origin = `http://127.0.0.1:${port}`;
});
afterAll(() => {
  child.kill();
});

const counts = async () =>
  (await (await fetch(`${origin}/counts`)).json()) as { ok: number; refused: number; hits: number };
const scenario = (over: Partial<Scenario>): Scenario => ({
  workload: 'fetch',
  mode: 'async',
  connections: 6,
  rate: undefined,
  workers: undefined,
  path: '/work',
  ...over,
});
/** A 1 s window: every figure below is a count over it, computed by hand, so a longer one adds nothing. */
const settings = { durationSeconds: 1, warmupSeconds: 0, probeRate: 10 };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('throughput counts successful answers only', () => {
  it('closed model: req/s is the 2xx answers over the window, not every answer', async () => {
    const before = await counts();
    const run = await runScenario(origin, scenario({}), settings);
    const after = await counts();
    const served = after.ok - before.ok;
    // The server may have answered up to one request per connection after autocannon stopped.
    expect(run.rps * run.windowSeconds).toBeGreaterThanOrEqual(served - 6);
    expect(run.rps * run.windowSeconds).toBeLessThanOrEqual(served);
    expect(run.non2xx).toBeGreaterThan(run.ok); // two refusals per success
    // Successes took 20 ms; the instant refusals are kept out of their percentiles.
    expect(run.latency.p50).toBeGreaterThanOrEqual(19);
  });

  it('open model: req/s is the 2xx answers over the scheduled window and never exceeds the offered rate', async () => {
    const before = await counts();
    // Two seconds here: the window's edge is what this case is about, and a 1 s window lets a loaded
    // machine push two of its ten successes past it.
    const run = await runScenario(origin, scenario({ rate: 30, connections: 0 }), { ...settings, durationSeconds: 2 });
    const after = await counts();
    // By hand: 30/s × 2 s = 60 due, over a 2 s schedule; every third one served.
    expect(run.due).toBe(60);
    expect(run.windowSeconds).toBe(2);
    expect(after.ok - before.ok).toBe(20);
    expect(run.ok).toBe(20);
    // Throughput counts answers completed within the window: the last success is due at 1.9 s and takes
    // 20 ms, so all 20 should be in; on a busy machine one may slip past 2 s (then 9.5/s). Never above 10.
    expect(run.okInWindow).toBeGreaterThanOrEqual(19);
    expect(run.rps).toBe(run.okInWindow / 2);
    expect(run.rps).toBeLessThanOrEqual(10);
    expect(run.failedPerSecond).toBe(20);
    expect(run.latency.n).toBe(20);
    // Measured from the intended start: at least the 20 ms the server waited (refusals do not pull it down).
    expect(run.latency.p50).toBeGreaterThanOrEqual(19);
  });

  it('open model: a server that falls behind the offered rate is credited with what it served in the window', async () => {
    // By hand: /serial serves one request per 100 ms, so 10/s; 30/s are offered for 1 s. In the window
    // it completes at most 10, so at most 10/s. It goes on answering in the drain after the window, but
    // what it did after the window is not the window's throughput.
    const run = await runScenario(origin, scenario({ rate: 30, connections: 0, path: '/serial' }), settings);
    expect(run.okInWindow).toBeLessThanOrEqual(10);
    expect(run.rps).toBeLessThanOrEqual(10);
    expect(run.rps).toBeGreaterThan(5);
    expect(run.ok).toBeGreaterThan(run.okInWindow);
  });

  it('open model: one request at 1/s for 1 s is 1 req/s, not 1 ÷ its latency', async () => {
    const before = await counts();
    // Align the fixture's counter so this run's single request is a success.
    const sentSoFar = before.ok + before.refused;
    for (let i = 0; i < (3 - (sentSoFar % 3)) % 3; i++) await fetch(`${origin}/work`);
    const run = await runScenario(origin, scenario({ rate: 1, connections: 0 }), { ...settings, durationSeconds: 1 });
    expect(run.ok).toBe(1);
    expect(run.rps).toBe(1);
  });
});

describe('the generator and the probe', () => {
  it("records the generator's own send lag, which a stall of its event loop shows", async () => {
    const load = runOpenModel({
      origin,
      path: '/health',
      rate: 100,
      durationSeconds: 1,
      maxInFlight: 100,
      timeoutMs: 5_000,
    });
    await pause(300);
    const until = performance.now() + 60;
    while (performance.now() < until) {
      // the generator's loop is blocked: requests due now go out late
    }
    const result = await load;
    expect(result.sendLag.n).toBe(result.sent);
    // The first request due after the 60 ms block began was due at most one interval (1000 ÷ 100 =
    // 10 ms) into it and could not leave before it ended: it was at least 60 − 10 = 50 ms late.
    expect(result.sendLag.max).toBeGreaterThanOrEqual(60 - 1000 / 100);
  });

  it('probes /health from its own process, so a stall of the load generator is not charged to the server', async () => {
    const { hits } = await counts();
    const running = runScenario(origin, scenario({ rate: 20, connections: 0, path: '/hit' }), {
      ...settings,
      durationSeconds: 3,
      probeRate: 20,
    });
    // Stall once the measured load is under way (after the settle and the probe's start-up).
    while ((await counts()).hits < hits + 10) await pause(50);
    // A stall far longer than a loaded machine keeps a process waiting for a CPU, so the bound below
    // tells "charged the stall" from "the machine was busy" by a wide margin, not by 50 ms.
    const STALL_MS = 1_500;
    const until = performance.now() + STALL_MS;
    while (performance.now() < until) {
      // the load generator's loop is blocked
    }
    const run = await running;
    // A request due during the stall waits for it (open model, from the intended time): the first one
    // due in it, at most one interval (1000 ÷ 20 = 50 ms) in, waits at least STALL_MS − 50 ms...
    const charged = STALL_MS - 1000 / 20;
    expect(run.latency.max).toBeGreaterThanOrEqual(charged);
    // ...and so would a probe in this process; the probe, in its own, was answered without it.
    expect(run.health.samples).toBe(60);
    expect(run.health.max).toBeLessThan(charged);
  });
});

it('waits for a backlog to be worked off even while /health answers fast', async () => {
  const { finished } = (await (await fetch(`${origin}/backlog?n=10`)).json()) as { finished: number };
  await waitUntilSettled(origin);
  // By hand: ten queued requests finishing one per 100 ms; all ten must be done before the window opens.
  const text = await (await fetch(`${origin}/metrics`)).text();
  expect(text).toContain(`status="200"} ${finished + 10}`);
});
