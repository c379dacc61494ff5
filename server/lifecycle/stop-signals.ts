/**
 * The same signal twice within this window is one request to stop, delivered twice: npm (and any
 * wrapper) relays the signal it got to its child, and a signal sent to the process group reaches the
 * server directly too (in cluster mode, every server process as well). Only a later or a different
 * signal means "stop now".
 */
export const RELAYED_COPY_WINDOW_MS = 1_000;

/**
 * True when this process is `npm start`'s child: npm relays every SIGINT and SIGTERM it gets to it, so a
 * signal sent to the process group (Ctrl-C, `kill -- -PGID`) arrives twice, and the relayed copy can come
 * later than {@link RELAYED_COPY_WINDOW_MS} when npm's own event loop waits for a CPU (on a machine at
 * load average 7 on two cores a second is not long), and would then count as a second signal: exit 1
 * mid-drain.
 * npm's scripts `exec` node, so npm is the parent and its environment names the script: the server's
 * file, or the dispatcher's `serve` (`cli/looplab.ts serve`, `looplab serve` under npx). Another script's
 * server (`npm run loadtest` starts one as its child) is not relayed to by npm.
 */
export function relayedByNpm(env: NodeJS.ProcessEnv): boolean {
  return (
    env['npm_lifecycle_event'] !== undefined &&
    /(?:server\/main\.ts|\blooplab(?:\.ts)? serve)(?:\s|$)/.test(env['npm_lifecycle_script'] ?? '')
  );
}

export interface StopTrigger {
  /** True once a stop was asked for, by a signal or by {@link StopTrigger.request}. */
  readonly stopping: boolean;
  /** Asks for a graceful stop as SIGTERM would; does nothing once stopping. */
  request(): void;
}

export interface StopSignalOptions {
  /** Stops everything gracefully; the process exits 0 once it resolves. */
  stop: () => Promise<void>;
  /** Print nothing (a cluster's server processes: their primary speaks for them). */
  quiet?: boolean;
  /**
   * The parent relays the signals it gets (see {@link relayedByNpm}): one copy of the first signal is
   * ignored whenever it arrives, not only within the window.
   */
  parentRelays?: boolean;
}

/**
 * Handles SIGINT and SIGTERM: the first starts a graceful stop, a copy of it within
 * {@link RELAYED_COPY_WINDOW_MS} (or, under a relaying parent, its first copy whenever it comes) is
 * ignored, any later or different one exits 1 at once.
 */
export function onStopSignals({ stop, quiet = false, parentRelays = false }: StopSignalOptions): StopTrigger {
  let first: { signal: NodeJS.Signals; at: number } | undefined;
  let relayedCopySeen = false;
  const say = (line: string) => {
    if (!quiet) console.log(line);
  };
  function onSignal(signal: NodeJS.Signals): void {
    if (first) {
      const withinWindow = performance.now() - first.at < RELAYED_COPY_WINDOW_MS;
      if (signal === first.signal && (withinWindow || (parentRelays && !relayedCopySeen))) {
        relayedCopySeen = true;
        // Said, so that whoever pressed Ctrl-C twice on purpose knows why nothing happened (and a test
        // can wait for this instead of guessing when the copy was handled).
        say(`looplab: ${signal} again, taken as a relayed copy of the first (send it once more to exit at once)`);
        return;
      }
      if (!quiet) console.error(`looplab: second signal (${signal}), exiting now`);
      process.exit(1);
    }
    first = { signal, at: performance.now() };
    say(`looplab: ${signal} received, shutting down (send it again to exit at once)`);
    // Start closing after this I/O phase: when the signal is noticed late, because the event loop was
    // blocked, requests that arrived meanwhile are read in the same phase, and closing first would
    // drop them as idle connections.
    setImmediate(
      () =>
        void stop().then(() => {
          say('looplab: stopped, exit 0');
          process.exit(0);
        }),
    );
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    get stopping() {
      return first !== undefined;
    },
    request() {
      if (!first) onSignal('SIGTERM');
    },
  };
}
