import { Session, console as inspectorConsole, type Profiler } from 'node:inspector';

/** What rotating the profile has cost the event loop so far. */
export interface RotationCost {
  rotations: number;
  maxMs: number;
  totalMs: number;
}

export interface Sampler {
  /** Starts the next profile, then stops the running one, in one synchronous step; returns the stopped one. */
  rotate(): Profiler.Profile;
  /** Stops profiling for good and disconnects; returns the last segment. */
  close(): Profiler.Profile;
  cost(): RotationCost;
}

/**
 * A session on this thread answers synchronously: `post` dispatches the command and calls back before it
 * returns. That is what lets a rotation be one uninterrupted step between two event-loop tasks, never in
 * the middle of the user's code; this checks it rather than assuming it.
 */
function postSync(session: Session, method: string, params: object = {}): void {
  let answered = false;
  let failure: Error | null = null;
  session.post(method, params, (error: Error | null) => {
    answered = true;
    failure = error;
  });
  if (!answered) throw new Error(`stall-blame: inspector command ${method} did not answer synchronously`);
  if (failure) throw failure;
}

let sessions = 0;

/**
 * V8's sampling profiler on the calling thread, through an inspector session connected to this same
 * thread, cut into segments by {@link Sampler.rotate} so that no single stop (which builds the profile on
 * this thread) grows into a stall of its own.
 *
 * Segments are console profiles (`console.profile(title)` of the inspector's own console, which starts a
 * profile in every session that enabled the Profiler domain), and each rotation starts the next one
 * before it stops the current one. Rotating with `Profiler.stop` + `Profiler.start` instead stops the
 * last profile, so the inspector disposes of its CPU profiler and the next start makes a new one, which
 * logs every compiled function again: measured here at 30–120 ms per rotation on a loaded 2-core machine,
 * a stall of its own. With the overlap the profiler lives on and a rotation costs well under a millisecond.
 */
export function startSampler(intervalUs: number): Sampler {
  const session = new Session();
  session.connect();
  postSync(session, 'Profiler.enable');
  postSync(session, 'Profiler.setSamplingInterval', { interval: intervalUs });
  const prefix = `stall-blame-${process.pid}-${(sessions += 1)}`;
  let finished: Profiler.Profile | null = null;
  session.on('Profiler.consoleProfileFinished', function stallBlameProfileFinished(message) {
    if (message.params.title?.startsWith(prefix)) finished = message.params.profile;
  });
  let segment = 0;
  const title = (n: number) => `${prefix}-${n}`;
  inspectorConsole.profile(title(segment));
  const end = (n: number): Profiler.Profile => {
    finished = null;
    inspectorConsole.profileEnd(title(n));
    const profile: Profiler.Profile | null = finished;
    if (!profile) throw new Error('stall-blame: the inspector did not hand over the finished profile synchronously');
    return profile;
  };
  const cost: RotationCost = { rotations: 0, maxMs: 0, totalMs: 0 };
  return {
    rotate() {
      const began = performance.now();
      inspectorConsole.profile(title(segment + 1));
      const profile = end(segment);
      segment += 1;
      const ms = performance.now() - began;
      cost.rotations += 1;
      cost.totalMs += ms;
      cost.maxMs = Math.max(cost.maxMs, ms);
      return profile;
    },
    close() {
      const profile = end(segment);
      postSync(session, 'Profiler.disable');
      session.disconnect();
      return profile;
    },
    cost: () => ({ ...cost }),
  };
}
