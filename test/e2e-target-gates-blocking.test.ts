import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXIT } from '../loadtest/cli/exit-codes.ts';
import { runCli } from './loadtest/run-cli.ts';

/**
 * Issue 26 item 4, as a new user would try it on a plain node:http service: `--target` thresholds gate an
 * injected blocking call with a 3 s run. The one-command form starts the server with the stall-blame
 * preload, so the server's loop delay and stalled time come from the preload's endpoint, and the
 * deny-list names the culprit. The service blocks in `checkToken` (src/auth.js) when BLOCK_MS is set,
 * with Atomics.wait, as a synchronous call does (a busy loop on a loaded machine would be partly a wait
 * for a CPU, which blame rightly does not count). The default probe rate (20/s) gives 60 probes in 3 s:
 * the harness raises it for health_p99's p99, and says so.
 */
const AUTH = `export function checkToken(token) {
  const ms = Number(process.env.BLOCK_MS ?? 0);
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return token !== undefined;
}
`;
const SERVER = `import { createServer } from 'node:http';
import { checkToken } from './src/auth.js';
createServer(function handle(req, res) {
  if (req.url === '/health') return res.end('ok');
  checkToken(req.headers.authorization);
  res.end(JSON.stringify({ orders: [] }));
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

/** The server's own figures, from the preload: what its loop did, whatever else the machine ran. */
const SERVER_GATES = [
  '--threshold',
  'target.loop_delay_p99<150',
  '--threshold',
  'target.stalled_ms<500',
  '--deny-stall',
  'src/auth.js',
];
/** The canary, from a process of its own: on a loaded machine it waits for a CPU too. */
const CANARY_GATE = ['--threshold', 'target.health_p99<150'];

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'looplab-target-gates-'));
  await mkdir(join(dir, 'src'));
  await writeFile(join(dir, 'src/auth.js'), AUTH);
  await writeFile(join(dir, 'server.mjs'), SERVER);
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The one-command form in the service's directory (INIT_CWD, as npx gives it), 3 s measured. */
function gate(blockMs: number, gates: string[]) {
  return runCli(
    [
      '--target',
      '/orders',
      '--probe',
      '/health',
      '--connections',
      '2',
      '--duration',
      '3',
      '--warmup',
      '1',
      '--quiet',
      '--out',
      join(dir, 'results'),
      ...gates,
      '--',
      process.execPath,
      'server.mjs',
    ],
    { timeoutMs: 120_000, env: { ...process.env, INIT_CWD: dir, BLOCK_MS: String(blockMs) } },
  );
}

it('fails a 3 s run of a service with a 200 ms blocking call on every gate, naming the culprit', async () => {
  const run = await gate(200, [...CANARY_GATE, ...SERVER_GATES]);
  expect(run.code, run.stderr).toBe(EXIT.thresholdFailed);
  expect(run.stderr).toContain('probe rate 20/s → 38/s');
  expect(run.stderr).toMatch(/threshold FAILED: target\.health_p99<150 — .*FAILED/);
  expect(run.stderr).toMatch(/threshold FAILED: target\.loop_delay_p99<150 — .*FAILED/);
  expect(run.stderr).toMatch(/threshold FAILED: target\.stalled_ms<500 — .*FAILED/);
  expect(run.stderr).toMatch(
    /threshold FAILED: --deny-stall src\/auth\.js — \/orders at 2 connections: checkToken src\/auth\.js:1 stalled the loop \d+ ms in 1 of 1 run/,
  );
}, 150_000);

/**
 * Without the canary's gate: its p99 is the probe process's wait as much as the server's, and on this
 * shared machine a server whose own loop delay p99 was 6.7 ms had a canary p99 of 644 ms. The server's
 * figures are the ones that tell its code from its machine.
 */
it("passes the server's own gates when the call does not block", async () => {
  const run = await gate(0, SERVER_GATES);
  expect(run.code, run.stderr).toBe(EXIT.ok);
  expect(run.stderr).toMatch(/threshold passed: --deny-stall src\/auth\.js — no culprit matched in 1 run/);
}, 150_000);
