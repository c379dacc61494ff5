import { fork } from 'node:child_process';
import { once } from 'node:events';
import { siblingFile, typeScriptLoaderArgs } from '../../lib/loader-args.ts';

export interface ProbeRequest {
  origin: string;
  /** What is probed: looplab's `/health`, or with `--target` the user's `--probe` path. */
  path: string;
  rate: number;
  seconds: number;
  timeoutMs: number;
}

/** What the probe saw: `/health` latency (ms, from each probe's intended time) and failures. */
export interface ProbeResult {
  p50: number | null;
  p99: number | null;
  max: number | null;
  samples: number;
  failures: number;
  /** p99 of the probes answered in each second of the window. */
  perSecondP99: Array<number | null>;
}

export interface ReadyProbe {
  /** Starts probing now; resolves when the window is over and every probe answered. */
  run(request: ProbeRequest): Promise<ProbeResult>;
  /** Ends the probe process if it is still there (a run that failed before probing). */
  stop(): void;
}

/**
 * Starts the `/health` probe in a process of its own and waits until it can start at once, so its
 * window lines up with the load's to within milliseconds.
 */
export async function startProbe(): Promise<ReadyProbe> {
  const child = fork(siblingFile(import.meta.url, './probe-process.ts'), {
    execArgv: typeScriptLoaderArgs(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [first] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(() => {
      throw new Error('the /health probe process exited before it was ready');
    }),
  ])) as [unknown];
  if (first !== 'ready') throw new Error('the /health probe process did not start');
  return {
    async run(request) {
      child.send(request);
      const exited = once(child, 'exit').then(([code]) => {
        throw new Error(`the /health probe process exited with code ${String(code)}`);
      });
      const [result] = (await Promise.race([once(child, 'message'), exited])) as [ProbeResult];
      exited.catch(() => {});
      return result;
    },
    stop() {
      if (child.exitCode === null) child.kill();
    },
  };
}
