/**
 * `looplab gate --sync-io`: the fs / crypto / zlib / child_process `*Sync` calls the project's code made
 * after start-up, each far too short to stall the loop, listed by API, function and line, in the main
 * thread and in a worker thread; never gated. The fixture is plain JavaScript in a
 * temp dir outside the repo; vitest comes from the repo's node_modules, by path.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGate } from './helpers/gate.ts';

const FILES: Record<string, string> = {
  'app.mjs': [
    "import { readFileSync } from 'node:fs';",
    "import { pbkdf2Sync } from 'node:crypto';",
    "import { Worker } from 'node:worker_threads';",
    "readFileSync(new URL('./app.mjs', import.meta.url)); // start-up: not listed",
    'function loadSettings() {',
    "  return readFileSync(new URL('./app.mjs', import.meta.url), 'utf8');",
    '}',
    "const hashPassword = () => pbkdf2Sync('pw', 'salt', 10, 32, 'sha256');",
    'setTimeout(() => {',
    '  loadSettings();',
    '  loadSettings();',
    '  hashPassword();',
    "  new Worker(new URL('./worker.mjs', import.meta.url));",
    '}, 20);',
    '',
  ].join('\n'),
  'worker.mjs': [
    "import zlib from 'node:zlib';",
    'function packReport() { return zlib.gzipSync(Buffer.alloc(1000)); }',
    'setTimeout(packReport, 20);',
    '',
  ].join('\n'),
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'looplab-gate-sync-io-'));
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const gate = (gateArgs: string[], command: string[]) => runGate(dir, gateArgs, command);

describe('looplab gate --sync-io', () => {
  it('lists each synchronous call after start-up by API, function and line, main thread and worker thread, and passes', async () => {
    const { code, stderr } = await gate(['--sync-io'], [process.execPath, 'app.mjs']);
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/listed, not gated\): 3 places/);
    expect(stderr).toMatch(/fs\.readFileSync ← loadSettings app\.mjs:6 {2}×2, [\d.]+ ms \[main thread of pid \d+/);
    expect(stderr).toMatch(/crypto\.pbkdf2Sync ← hashPassword app\.mjs:8 {2}×1/);
    expect(stderr).toMatch(/zlib\.gzipSync ← packReport worker\.mjs:2 {2}×1, [\d.]+ ms \[worker thread \d+ of pid/);
    // The read made while the program loaded (line 4) is start-up, as for node --trace-sync-io.
    expect(stderr).not.toMatch(/app\.mjs:4/);
  });

  it('lists nothing without --sync-io', async () => {
    const { code, stderr } = await gate([], [process.execPath, 'app.mjs']);
    expect(code, stderr).toBe(0);
    expect(stderr).not.toMatch(/Synchronous calls/);
  });
});
