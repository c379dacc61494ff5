import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlameReport } from '../stall-blame/index.ts';
import { renderBlameTable } from '../stall-blame/index.ts';
import { readPreloadConfig } from '../stall-blame/env.ts';
import { pbkdf2IterationsForMs } from './helpers/calibrate.ts';
import {
  FIXTURE_LINES,
  PRELOAD,
  REQUEST_FUNCTIONS,
  startFixture,
  writeBlameServer,
  type FixtureProcess,
} from './helpers/blame-fixture.ts';

const LISTENING_PRELOAD = new URL('../stall-blame/listening-preload.ts', import.meta.url).pathname;

let dir: string;
let server: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'looplab-blame-'));
  server = writeBlameServer(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function get(base: string, path: string): Promise<void> {
  const res = await fetch(base + path);
  expect(res.status).toBe(200);
  await res.arrayBuffer();
}

/** Starts the fixture with the preload writing to `name`, runs `drive`, sends SIGTERM and reads the report. */
async function blameRun(name: string, drive: (fixture: FixtureProcess) => Promise<void>): Promise<BlameReport> {
  const out = join(dir, name);
  const fixture = await startFixture(server, dir, ['--import', PRELOAD], { LOOPLAB_BLAME_OUT: out });
  try {
    await drive(fixture);
  } finally {
    fixture.child.kill('SIGTERM');
  }
  const exit = await fixture.exited;
  expect(exit, fixture.output()).toEqual({ code: null, signal: 'SIGTERM' });
  const report = JSON.parse(readFileSync(out, 'utf8')) as BlameReport;
  console.log(`${name}:\n${renderBlameTable(report)}\nrotations: ${JSON.stringify(report.profiler)}`);
  return report;
}

describe('stall blame', () => {
  it('names the blocking function and its line with most of the stall time', async () => {
    const report = await blameRun('blocking.json', async ({ url }) => {
      // 800 ms of CPU in blockFor against about 300 ms of pbkdf2, each digest five times the threshold
      // (sized on this machine: a digest near the threshold is rightly not a stall when the CPU is fast).
      const iterations = pbkdf2IterationsForMs(100);
      for (let i = 0; i < 20; i += 1) await get(url, '/block?n=40');
      for (let i = 0; i < 3; i += 1) await get(url, `/hash?n=${iterations}`);
    });
    expect(report.stalls).toBeGreaterThanOrEqual(20);
    const [top] = report.culprits;
    expect(top).toMatchObject({ frame: 'blockFor', file: 'server.mjs', line: FIXTURE_LINES.blockFor });
    expect(top?.share).toBeGreaterThan(0.5);
    const digest = report.culprits.find((line) => line.frame === 'slowDigest');
    expect(digest).toMatchObject({ file: 'server.mjs', line: FIXTURE_LINES.slowDigest, context: 'pbkdf2Sync' });
  });

  it('blames nothing in the code of a server that only awaits, in a run that blames its one blocking call', async () => {
    const report = await blameRun('async.json', async ({ url }) => {
      for (let round = 0; round < 10; round += 1) {
        await Promise.all(Array.from({ length: 10 }, () => get(url, '/async?n=30')));
      }
      // The control: one real stall (five times the threshold) after the awaiting, so that "nothing
      // blamed" below is what this blame saw, not a blame that saw nothing at all.
      await get(url, '/block?n=100');
    });
    expect(report.culprits.find((line) => line.frame === 'blockFor')).toMatchObject({
      file: 'server.mjs',
      line: FIXTURE_LINES.blockFor,
    });
    // Loading the server is a stall of its own (Node's module loader and the fixture's top level), and on a
    // loaded machine the whole process can wait for a CPU, so a stall window may catch a sample or two of
    // whatever ran at its edge. A function that really stalls the loop fills a whole window: at least the
    // threshold. No request-time function comes near that.
    const requestTime = report.culprits.filter(
      (line) => REQUEST_FUNCTIONS.includes(line.frame) && line.frame !== 'blockFor' && line.frame !== 'handle',
    );
    for (const line of requestTime)
      expect(line.ms, JSON.stringify(line)).toBeLessThan(report.options.stallThresholdMs / 4);
  });

  it('writes the report file when a plain server without signal handlers gets SIGTERM', async () => {
    const out = join(dir, 'preload.json');
    const fixture = await startFixture(server, dir, ['--import', PRELOAD], { LOOPLAB_BLAME_OUT: out });
    await get(fixture.url, '/block?n=40');
    expect(existsSync(out)).toBe(false);
    fixture.child.kill('SIGTERM');
    expect(await fixture.exited).toEqual({ code: null, signal: 'SIGTERM' });
    const report = JSON.parse(readFileSync(out, 'utf8')) as BlameReport;
    expect(report.window.ms).toBeGreaterThan(0);
    expect(report.options.stallThresholdMs).toBe(20);
  });

  it('serves the report on its own port when LOOPLAB_BLAME_PORT is set, window by window, and leaves the app its routes', async () => {
    const fixture = await startFixture(server, dir, ['--import', PRELOAD], {
      LOOPLAB_BLAME_PORT: '0',
      STALL_THRESHOLD_MS: '30',
    });
    try {
      const endpoint = /report at (http:\/\/\S+)\//.exec(fixture.output())?.[1];
      expect(endpoint, fixture.output()).toBeDefined();
      const mark = async () => ((await (await fetch(`${endpoint}/mark`)).json()) as { now: number }).now;
      const windowReport = async (from: number, to: number) => {
        const res = await fetch(`${endpoint}/?from=${from}&to=${to}`);
        expect(res.status).toBe(200);
        return (await res.json()) as BlameReport;
      };
      const m0 = await mark();
      await get(fixture.url, '/block?n=80');
      const m1 = await mark();
      await get(fixture.url, '/block?n=80');
      const m2 = await mark();
      const [first, second, both] = [
        await windowReport(m0, m1),
        await windowReport(m1, m2),
        await windowReport(m0, m2),
      ];
      expect(first.options.stallThresholdMs).toBe(30);
      expect(first.window).toMatchObject({ fromUs: m0, toUs: m1 });
      for (const report of [first, second])
        expect(report.culprits[0], JSON.stringify(report)).toMatchObject({
          frame: 'blockFor',
          line: FIXTURE_LINES.blockFor,
        });
      // No stall is in two windows, and start-up (before m0) is in none of them.
      expect(both.stalls).toBe(first.stalls + second.stalls);
      expect(both.stallMs).toBeCloseTo(first.stallMs + second.stallMs, 6);
      const whole = (await (await fetch(`${endpoint}/`)).json()) as BlameReport;
      expect(whole.window.fromUs).toBeLessThan(m0);
      expect((await fetch(`${endpoint}/?from=${m1}&to=${m0}`)).status).toBe(400);
    } finally {
      fixture.child.kill('SIGTERM');
      await fixture.exited;
    }
  });

  it('keeps the application running, with one line and no stack, when the blame port is taken before the preload binds it', async () => {
    // The race the harness can lose: a free port picked, then taken by another process before the preload
    // binds it. A real server holds the port here; the report file is still written at the end.
    const holder = createNetServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    const out = join(dir, 'port-taken.json');
    try {
      const fixture = await startFixture(server, dir, ['--import', PRELOAD], {
        LOOPLAB_BLAME_PORT: String(port),
        LOOPLAB_BLAME_OUT: out,
      });
      await get(fixture.url, '/block?n=40');
      const said = fixture
        .output()
        .split('\n')
        .filter((line) => line.startsWith('stall-blame:'));
      expect(said).toEqual([
        `stall-blame: the report is not served, and the application runs without it: port ${port} is already in use; ` +
          `choose another with LOOPLAB_BLAME_PORT (LOOPLAB_BLAME_PORT=0 picks any free port)`,
      ]);
      expect(fixture.output()).not.toMatch(/^\s+at /m);
      fixture.child.kill('SIGTERM');
      expect(await fixture.exited).toEqual({ code: null, signal: 'SIGTERM' });
      expect((JSON.parse(readFileSync(out, 'utf8')) as BlameReport).window.ms).toBeGreaterThan(0);
    } finally {
      holder.close();
    }
  });

  it('keeps the application running when the port of the preload without blame (--no-blame) is taken', async () => {
    const holder = createNetServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const fixture = await startFixture(server, dir, ['--import', LISTENING_PRELOAD], {
        LOOPLAB_BLAME_PORT: String(port),
      });
      await get(fixture.url, '/');
      expect(
        fixture
          .output()
          .split('\n')
          .filter((line) => line.startsWith('looplab:')),
      ).toEqual([
        `looplab: where the server listens is not served, and it runs on: port ${port} is already in use; choose ` +
          `another with LOOPLAB_BLAME_PORT (LOOPLAB_BLAME_PORT=0 picks any free port)`,
      ]);
      fixture.child.kill('SIGTERM');
      await fixture.exited;
    } finally {
      holder.close();
    }
  });

  it('refuses a bad setting, naming the variable and the range', () => {
    expect(() => readPreloadConfig({ STALL_THRESHOLD_MS: '1e3' })).toThrow(
      'stall-blame: STALL_THRESHOLD_MS must be a whole number 2..60000 (got "1e3")',
    );
  });

  it('refuses the threshold by its old name, naming the new one', () => {
    expect(() => readPreloadConfig({ LOOPLAB_BLAME_THRESHOLD_MS: '30' })).toThrow(
      'stall-blame: LOOPLAB_BLAME_THRESHOLD_MS is now called STALL_THRESHOLD_MS; set that instead',
    );
  });
});
