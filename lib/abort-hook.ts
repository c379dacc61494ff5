/**
 * Hearing an AbortSignal's abort without `addEventListener` where the signal's owner offers a cheaper
 * way. An EventTarget listener costs a listener record and an options parse to add and a search to
 * remove; a CPU profile of `/db/async?queries=1` under load put that add and remove, once per query,
 * among the request path's own costs. The server's request signal (server/routes/request-signal.ts)
 * offers one slot instead; every other signal (a worker task's, a user's) gets a real listener.
 */
export interface AbortHook {
  /** Takes `listener`, to be called once when the signal aborts; false if it cannot (the caller listens the usual way). */
  add(listener: () => void): boolean;
  /** Drops `listener`; false if it was not taken here. */
  delete(listener: () => void): boolean;
}

const HOOK = Symbol('looplab.abortHook');
type Hooked = AbortSignal & { [HOOK]?: AbortHook };
const ONCE = { once: true } as const;

/** Lets {@link onAbort} use `hook` for `signal`. The hook must call its listener after the signal aborted. */
export function offerAbortHook(signal: AbortSignal, hook: AbortHook): void {
  (signal as Hooked)[HOOK] = hook;
}

/** Calls `listener` once when `signal` aborts (not if it already has, as with `addEventListener`). */
export function onAbort(signal: AbortSignal, listener: () => void): void {
  if (!(signal as Hooked)[HOOK]?.add(listener)) signal.addEventListener('abort', listener, ONCE);
}

/** Undoes {@link onAbort}. */
export function offAbort(signal: AbortSignal, listener: () => void): void {
  if (!(signal as Hooked)[HOOK]?.delete(listener)) signal.removeEventListener('abort', listener);
}
