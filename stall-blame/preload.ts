/**
 * Stall blame for any Node server, configured by environment:
 *
 *   LOOPLAB_BLAME_OUT=blame.json node --import looplab/stall-blame/preload app.js
 *
 * (from the repo: `--import ./stall-blame/preload.ts`). Node ≥ 22.18, like the rest of looplab. Profiles
 * the main thread only: in worker threads (which inherit `--import`) and without LOOPLAB_BLAME_OUT or
 * LOOPLAB_BLAME_PORT it does nothing.
 */
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { startStallBlame } from './blame.ts';
import { blameUrl, serveBlame } from './endpoint.ts';
import { PRELOAD_VARIABLES, readPreloadConfig } from './env.ts';
import { describeListenError } from '../lib/listen-error.ts';
import { refuseUnsupportedNode } from '../lib/supported-node.ts';

refuseUnsupportedNode('looplab/stall-blame/preload');

const config = readPreloadConfig(process.env);
for (const name of PRELOAD_VARIABLES) delete process.env[name];

if (isMainThread && (config.out !== null || config.port !== null)) {
  const blame = startStallBlame(config.options);
  const out = config.out;
  if (config.port !== null) {
    try {
      const server = await serveBlame(config.port, blame);
      process.stderr.write(`stall-blame: report at ${blameUrl(server)}/\n`);
    } catch (error) {
      // A port picked free can be taken by another process before this binds it (`looplab loadtest --
      // <command>` picks one, then starts the command). One line, and the application starts anyway: a
      // profiler must never be why a server is down.
      const why = describeListenError((error as Error).cause ?? error, config.port, 'LOOPLAB_BLAME_PORT');
      process.stderr.write(`stall-blame: the report is not served, and the application runs without it: ${why}\n`);
      // With no file to write either, the profiler would cost the process for nothing.
      if (out === null) await blame.stop();
    }
  }
  if (out !== null) {
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      writeFileSync(out, `${JSON.stringify(blame.snapshot(), null, 2)}\n`);
    };
    process.on('exit', write);
    // A signal's default action ends the process without 'exit': write, then, unless the application
    // handles the signal itself, let the default action happen as if we had not been here.
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.on(signal, function stallBlameOnSignal() {
        write();
        if (process.listenerCount(signal) === 1) {
          process.removeListener(signal, stallBlameOnSignal);
          process.kill(process.pid, signal);
        }
      });
    }
  }
}
