import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeScriptLoaderArgs } from '../../lib/loader-args.ts';
import type { Results } from '../../loadtest/types.ts';

const run = promisify(execFile);

/**
 * The real command, end to end: `loadtest/cli.ts` starts its own embedded PostgreSQL, upstream and
 * server as separate processes, runs a tiny fetch matrix, writes the three report files and stops
 * everything. Only orderings with a wide margin are asserted, never absolute speed.
 */
describe('npm run loadtest on a tiny matrix', () => {
  let out: string;
  let stdout: string;
  let stderr: string;
  let results: Results;
  let files: string[];

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'looplab-loadtest-'));
    ({ stdout, stderr } = await run(
      process.execPath,
      [
        ...typeScriptLoaderArgs(),
        'loadtest/cli.ts',
        '--workloads',
        'fetch',
        '--connections',
        '20',
        '--duration',
        '2',
        '--warmup',
        '1',
        '--params',
        'fetch.delay=50',
        '--out',
        out,
        '--threshold',
        'fetch.async.rps>=3*fetch.blocking.rps',
      ],
      { timeout: 120_000 },
    ));
    const [dir] = await readdir(out);
    files = (await readdir(join(out, dir ?? ''))).sort();
    results = JSON.parse(await readFile(join(out, dir ?? '', 'results.json'), 'utf8')) as Results;
  }, 150_000);
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('writes results.json, report.md and report.html', () => {
    expect(files).toEqual(['report.html', 'report.md', 'results.json']);
  });

  it('records every scenario with its figures, the parameters and the environment', () => {
    expect(results.schema).toBe('looplab-loadtest/3');
    expect(results.scenarios.map((s) => s.scenario.mode)).toEqual(['blocking', 'async', 'worker']);
    expect(results.options.params.fetch['delay']).toBe('50');
    expect(results.environment).toMatchObject({ node: process.version, serverStartedByHarness: true });
    expect(results.environment.server).toMatchObject({
      uvThreadpoolSize: expect.any(Number),
      workers: expect.any(Number),
    });
    for (const s of results.scenarios) {
      expect(s.runs).toHaveLength(1);
      expect(s.summary.rps.median).toBeGreaterThan(0);
      // 40 probes support a p50, not a p99 (which needs 100).
      expect(s.summary.healthP50?.median).toBeGreaterThan(0);
      expect(s.summary.healthP99).toBeNull();
      // A share of the window, and above nothing: the server ran this load.
      expect(s.summary.eventLoopUtilization?.median).toBeGreaterThan(0);
      expect(s.summary.eventLoopUtilization?.median).toBeLessThanOrEqual(1);
      expect(s.runs[0]?.server?.rssEndMb).toBeGreaterThan(10);
      expect(s.bound?.rps).toBeGreaterThan(0);
    }
  });

  it('keeps every figure consistent with the counts behind it', () => {
    for (const s of results.scenarios) {
      const run = s.runs[0];
      if (!run) throw new Error('no run');
      // req/s is exactly the 2xx answers over the window; the percentiles rest on those same answers.
      expect(run.okInWindow).toBe(run.ok); // closed model: autocannon stops with the window
      expect(run.rps * run.windowSeconds).toBeCloseTo(run.okInWindow, 6);
      expect(run.latency.n).toBe(run.ok);
      // The probe: 20/s for 2 s, every one answered (late under blocking, but answered).
      expect(run.health.samples).toBe(40);
      // The timeline covers each second the window touched and holds the answers that came in it.
      expect(run.timeline.map((t) => t.t)).toEqual(
        Array.from({ length: Math.ceil(run.windowSeconds - 0.001) }, (_, i) => i),
      );
      const inTimeline = run.timeline.reduce((n, t) => n + t.ok, 0);
      expect(inTimeline).toBeLessThanOrEqual(run.ok);
      expect(inTimeline).toBeGreaterThanOrEqual(run.ok - 20);
      expect(run.warmup.requests).toBeGreaterThan(0);
    }
    const blocking = results.scenarios.find((s) => s.scenario.mode === 'blocking');
    // Little's law caps blocking fetch at one 50 ms call at a time: 20/s. It cannot be beaten, however
    // fast the machine. (How far short a busy machine falls is not this test's business.)
    expect(blocking?.summary.rps.median).toBeLessThanOrEqual(20 * 1.05);
    expect(blocking?.summary.rps.median).toBeGreaterThan(0);
    // One at a time: a request waits for the calls queued ahead of its own, so a typical answer takes
    // several × 50 ms; concurrent calls (a blocking mode that does not block) would make it about 50 ms.
    // Not 20 × 50 ms: the window opens on fresh connections, which the blocked loop accepts between
    // calls, so the queue fills over the first second (a CI run saw p50 287 ms, this machine 930 ms).
    expect(blocking?.runs[0]?.latency.p50).toBeGreaterThanOrEqual(4 * 50);
    // Each blocking request holds the loop for its whole 50 ms call: every served request added 50 ms
    // of busy loop to each second, however slow the machine.
    expect(blocking?.summary.eventLoopDelayMaxMs?.median).toBeGreaterThanOrEqual(40);
    expect(blocking?.summary.eventLoopUtilization?.median).toBeGreaterThanOrEqual(
      (blocking?.summary.rps.median ?? Infinity) * 0.05 * 0.9,
    );
  });

  it('shows what must hold with a wide margin: async far above blocking, no errors off the event loop', () => {
    const by = Object.fromEntries(results.scenarios.map((s) => [s.scenario.mode, s.summary]));
    expect(by['async']?.rps.median).toBeGreaterThan(4 * (by['blocking']?.rps.median ?? Infinity));
    expect(by['worker']?.rps.median).toBeGreaterThan(by['blocking']?.rps.median ?? Infinity);
    for (const mode of ['async', 'worker']) {
      expect(by[mode]?.errors).toBe(0);
      expect(by[mode]?.non2xx).toBe(0);
    }
    // Blocking holds every other caller: the /health probe waits far longer than under async. By the
    // medians: one probe that waited for a CPU on a busy machine moves a maximum, not a median.
    expect(by['blocking']?.healthP50?.median).toBeGreaterThan(5 * (by['async']?.healthP50?.median ?? Infinity));
  });

  it('prints the table, the verdict, progress and the threshold outcome', () => {
    expect(stdout).toMatch(/fetch — c=20 — delay=50/);
    expect(stdout).toMatch(/→ fetch \(c=20\): async serves [\d.]+× blocking/);
    // The estimate counts start-up, warm-up, measuring and settling, and never rounds up to a minute.
    expect(stderr).toMatch(/loadtest: 3 scenario\(s\): about \d+ s — 3 × \(1 s warm-up \+ 2 s measured \+ settling\)/);
    expect(stderr).toMatch(/^\[1\/3\] fetch\/blocking at 20 connections — about \d+ s left$/m);
    expect(stderr).toMatch(/threshold passed: fetch\.async\.rps>=3\*fetch\.blocking\.rps/);
    expect(stderr).not.toContain('\x1b');
  });
});

it('exits 2 with a clear message on a bad option, starting nothing', async () => {
  const failure = await run(process.execPath, [
    ...typeScriptLoaderArgs(),
    'loadtest/cli.ts',
    '--modes',
    'Threads',
  ]).catch((err: { code: number; stderr: string }) => err);
  expect(failure).toMatchObject({ code: 2 });
  expect((failure as { stderr: string }).stderr).toContain(
    '--modes: "Threads" is not a name (lowercase letters, digits and dashes; curl <server>/ lists them)',
  );
});
