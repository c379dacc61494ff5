import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrapeMetrics } from '../../loadtest/measure/server-metrics.ts';
import { startTestApp, untilReady, type TestApp } from '../helpers/test-app.ts';
import { runCli } from './run-cli.ts';

/**
 * `--export k6 DIR` through the real CLI. k6 itself is not installable here, so the scripts are
 * type-checked against @types/k6 with tsc (the same types k6's own TypeScript support is written
 * for); nothing here runs them. The real app stands at --url (the plan — workloads, modes, defaults —
 * is the server's to say), and its own count of workload requests shows that exporting sends no load.
 */
const REPO = resolve(import.meta.dirname, '../..');
let dir: string;
let app: TestApp;
let url: string;
let servedBefore: number | undefined;
const served = async () => (await scrapeMetrics(url))?.workloadRequestsDone;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'looplab-k6-'));
  app = await startTestApp();
  await untilReady(app);
  url = app.url;
  servedBefore = await served();
});
afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

/** tsc on a directory of scripts, with @types/k6 as the only types (k6 modules mapped onto them). */
async function typeCheck(scripts: string): Promise<{ code: number; output: string }> {
  const types = join(REPO, 'node_modules/@types');
  const tsconfig = {
    compilerOptions: {
      strict: true,
      noEmit: true,
      noUnusedLocals: true,
      verbatimModuleSyntax: true,
      target: 'es2020',
      lib: ['es2020'],
      module: 'esnext',
      moduleResolution: 'bundler',
      typeRoots: [types],
      types: ['k6'],
      paths: { 'k6/*': [join(types, 'k6/*')], k6: [join(types, 'k6')] },
    },
    include: ['*.ts'],
  };
  await writeFile(join(scripts, 'tsconfig.json'), JSON.stringify(tsconfig));
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(scripts, 'tsconfig.json')],
      { timeout: 60_000 },
      (err, stdout, stderr) => {
        done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, output: stdout + stderr });
      },
    );
  });
}

describe('npm run loadtest -- --export k6 DIR', () => {
  let closedDir: string;
  let openDir: string;
  beforeAll(async () => {
    closedDir = join(dir, 'closed');
    openDir = join(dir, 'open');
    const thresholds = [
      'hash.async.p99<300',
      'hash.async.rps>=50',
      'hash.async.errors==0',
      'hash.async.rps>=1.5*hash.blocking.rps',
      'hash.async.loop_busy<80',
      'fetch.worker.p50<=200',
    ];
    const closed = await runCli([
      '--export',
      'k6',
      closedDir,
      '--url',
      url,
      '--workloads',
      'hash,fetch',
      '--modes',
      'blocking,async',
      '--connections',
      '5,20',
      '--duration',
      '6',
      ...thresholds.flatMap((t) => ['--threshold', t]),
    ]);
    expect(closed.stderr).toContain('no load was sent');
    expect(closed.code).toBe(0);
    const open = await runCli([
      '--export=k6',
      openDir,
      '--url',
      url,
      '--workloads',
      'fetch',
      '--modes',
      'async',
      '--rate',
      '150',
      '--warmup',
      '0',
      '--threshold',
      'fetch.async.errors<1',
    ]);
    expect(open.code).toBe(0);
  });

  it('writes one script per planned scenario and sends no load', async () => {
    expect((await readdir(closedDir)).sort()).toEqual([
      'fetch-async-c20.ts',
      'fetch-async-c5.ts',
      'fetch-blocking-c20.ts',
      'fetch-blocking-c5.ts',
      'hash-async-c20.ts',
      'hash-async-c5.ts',
      'hash-blocking-c20.ts',
      'hash-blocking-c5.ts',
    ]);
    expect(await readdir(openDir)).toEqual(['fetch-async-r150.ts']);
    expect(servedBefore).toBeDefined();
    expect(await served()).toBe(servedBefore);
  });

  it('closed model: constant VUs, one per connection, with the warm-up as its own scenario before the measured one', async () => {
    const script = await readFile(join(closedDir, 'hash-async-c20.ts'), 'utf8');
    expect(script).toMatch(/"warmup": \{\s+"executor": "constant-vus",\s+"vus": 20,\s+"duration": "2s"/);
    expect(script).toMatch(
      /"measure": \{\s+"executor": "constant-vus",\s+"vus": 20,\s+"duration": "6s",\s+"startTime": "2s"/,
    );
    expect(script).toContain(`__ENV['BASE_URL'] ?? "${url}"`);
    expect(script).toContain('const PATH = "/hash/async?algo=pbkdf2&cost=100000"');
  });

  it('translates the thresholds k6 can express, on the measured scenario only, and lists the rest with why', async () => {
    const script = await readFile(join(closedDir, 'hash-async-c20.ts'), 'utf8');
    expect(script).toMatch(/"looplab_2xx_duration\{scenario:measure\}": \[\s+"p\(99\)<300"\s+\]/);
    // 50 req/s over the 6 s window: 300 answers.
    expect(script).toMatch(/"looplab_2xx\{scenario:measure\}": \[\s+"count>=300"\s+\]/);
    expect(script).toMatch(/"looplab_failed\{scenario:measure\}": \[\s+"count==0"\s+\]/);
    expect(script).not.toContain('dropped_iterations{');
    expect(script).toContain('//   - hash.async.rps>=1.5*hash.blocking.rps: compares two scenarios');
    expect(script).toContain("//   - hash.async.loop_busy<80: the server's own /metrics");
    // Another scenario's threshold (fetch.worker.p50) is not this script's, translated or listed.
    expect(script).not.toContain('//   - fetch.worker');
    expect(script).not.toContain('med<=200');
    expect(await readFile(join(closedDir, 'hash-blocking-c5.ts'), 'utf8')).toContain('thresholds: {}');
  });

  it('open model: a constant arrival rate with a VU per request in flight, and drops judged too', async () => {
    const script = await readFile(join(openDir, 'fetch-async-r150.ts'), 'utf8');
    expect(script).toMatch(
      /"measure": \{\s+"executor": "constant-arrival-rate",\s+"rate": 150,\s+"timeUnit": "1s",\s+"preAllocatedVUs": 150,\s+"maxVUs": 1000,\s+"duration": "8s",\s+"exec": "load"/,
    );
    expect(script).not.toContain('"warmup"');
    expect(script).toMatch(/"dropped_iterations\{scenario:measure\}": \[\s+"count==0"\s+\]/);
    expect(script).toContain('intended send time');
  });

  it('every script type-checks against @types/k6', { timeout: 90_000 }, async () => {
    for (const scripts of [closedDir, openDir]) {
      const { code, output } = await typeCheck(scripts);
      expect(output).toBe('');
      expect(code).toBe(0);
    }
  });

  it('the type-check fails on a script k6 would refuse (an executor that does not exist)', {
    timeout: 90_000,
  }, async () => {
    const broken = join(dir, 'broken');
    await runCli(['--export', 'k6', broken, '--url', url, '--workloads', 'hash', '--modes', 'async']);
    const file = join(broken, 'hash-async-c20.ts');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('"executor": "constant-vus"', '"executor": "constant-vu"'),
    );
    const { code, output } = await typeCheck(broken);
    expect(code).not.toBe(0);
    expect(output).toContain('hash-async-c20.ts');
  });
});
