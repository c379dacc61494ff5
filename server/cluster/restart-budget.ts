/** At most this many restarts of server processes within {@link RESTART_WINDOW_MS}. */
export const MAX_RESTARTS = 5;
export const RESTART_WINDOW_MS = 60_000;

export interface RestartBudget {
  /** Records a restart at `now` and says whether it is within the budget. */
  take(now?: number): boolean;
}

/**
 * A crash loop must not be hidden by restarting forever: a process that dies again and again (a bad
 * deploy, a dependency that kills it) makes the cluster stop, so whatever supervises it can see.
 */
export function createRestartBudget(max = MAX_RESTARTS, windowMs = RESTART_WINDOW_MS): RestartBudget {
  const times: number[] = [];
  return {
    take(now = performance.now()) {
      while (times.length > 0 && now - (times[0] ?? 0) >= windowMs) times.shift();
      if (times.length >= max) return false;
      times.push(now);
      return true;
    },
  };
}
