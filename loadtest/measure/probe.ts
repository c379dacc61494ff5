import { type ChildProcess, fork } from 'node:child_process';
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
  /**
   * Done with it: a probe that served its window whole goes back for the next run to take; one that
   * did not (a run that failed before or while probing) is ended.
   */
  stop(): void;
}

/**
 * The one idle probe process kept between runs. Starting one (forking Node and loading the probe's
 * TypeScript) took 1–4 s a run on 2 cores, as long as a short run's window; a run of many short
 * windows (advise, `--repeat`) paid it each time. Kept idle it holds no timer or socket, and it does
 * not keep this process alive: it exits when this one does (probe-process.ts).
 */
let idle: ChildProcess | undefined;

async function forkProbe(): Promise<ChildProcess> {
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
  return child;
}

/** Whether a child is still there to be sent a window. */
const usable = (child: ChildProcess) => child.exitCode === null && child.signalCode === null && child.connected;

/**
 * The `/health` probe in a process of its own, ready to start at once, so its window lines up with the
 * load's to within milliseconds: the idle one kept from an earlier run, else a new one.
 */
export async function startProbe(): Promise<ReadyProbe> {
  const kept = idle;
  idle = undefined;
  const child = kept && usable(kept) ? kept : await forkProbe();
  // Held while in use: a run waiting for the probe's answer must keep this process alive.
  child.ref();
  child.channel?.ref();
  let servedWhole = false;
  return {
    async run(request) {
      const result = await new Promise<ProbeResult>((resolve, reject) => {
        const onMessage = (message: ProbeResult) => {
          child.off('exit', onExit);
          resolve(message);
        };
        const onExit = (code: number | null) => {
          child.off('message', onMessage);
          reject(new Error(`the /health probe process exited with code ${String(code)}`));
        };
        child.once('message', onMessage);
        child.once('exit', onExit);
        child.send(request);
      });
      servedWhole = true;
      return result;
    },
    stop() {
      if (servedWhole && usable(child) && idle === undefined) {
        child.unref();
        child.channel?.unref();
        idle = child;
      } else if (child.exitCode === null) child.kill();
    },
  };
}
