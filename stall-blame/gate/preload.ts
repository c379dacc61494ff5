/**
 * The stall gate, as a preload: `node --import looplab/stall-gate <script or runner>`, or through
 * `looplab gate -- <command>` (stall-blame/gate/cli.ts), which adds it to NODE_OPTIONS.
 *
 * In every thread it reaches (each process's main thread, and each worker thread, which runs `--import`
 * preloads too) it records the stalls over STALL_THRESHOLD_MS into a file of the gate's directory. The
 * first process (no LOOPLAB_GATE_DIR yet) is the gate: it makes the directory, puts itself into
 * NODE_OPTIONS so child processes run it as well, and at exit reads every thread's file, prints the
 * verdict and, when the process would have exited 0, exits with GATE_EXIT.stalled if a stall in the
 * project's code is not on the allowlist.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';
import { GATE_STALL_THRESHOLD_MS } from '../limits.ts';
import { GATE_CONFIG_FILE, readGateConfig } from './config.ts';
import { GATE_EXIT, GATE_VARIABLES, thresholdFromEnv, withGateImports } from './env.ts';
import { recordStalls } from './record.ts';
import { settle } from './verdict.ts';

const given = process.env[GATE_VARIABLES.dir];
if (given || isMainThread) {
  const root = !given;
  const configPath = process.env[GATE_VARIABLES.config];
  const config = root ? readGateConfig(configPath ?? GATE_CONFIG_FILE, configPath !== undefined) : { allow: [] };
  const stallThresholdMs = thresholdFromEnv(process.env) ?? config.stallThresholdMs ?? GATE_STALL_THRESHOLD_MS;
  const dir = given ?? mkdtempSync(join(tmpdir(), 'looplab-gate-'));
  if (root) {
    process.env[GATE_VARIABLES.dir] = dir;
    process.env[GATE_VARIABLES.threshold] = String(stallThresholdMs);
    process.env['NODE_OPTIONS'] = withGateImports(process.env['NODE_OPTIONS']);
  }
  const syncIo = process.env[GATE_VARIABLES.syncIo] === '1';
  const recorder = recordStalls(join(dir, `${process.pid}-${threadId}.json`), stallThresholdMs, syncIo);
  process.on('exit', function stallGateExit(code) {
    recorder.flush();
    if (!root) return;
    const verdict = settle(dir, config, stallThresholdMs);
    if (code === 0 && !verdict.passed) process.exitCode = GATE_EXIT.stalled;
  });
}
