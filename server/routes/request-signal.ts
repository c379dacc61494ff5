import type { ServerResponse } from 'node:http';
import { type AbortHook, offerAbortHook } from '../../lib/abort-hook.ts';
import { deadlinesFor, type Deadlines, type Expiring } from './deadlines.ts';

/** The reason a hang-up aborts with, as @hono/node-server words it for the request's own signal. */
const HANG_UP_REASON = 'Client connection prematurely closed.';

/** Where a request learns that its client hung up: Node's response, or (without one) the request's signal. */
export type HangUpSource = ServerResponse | AbortSignal;

/**
 * One AbortSignal per workload request that aborts at the deadline or when the client hangs up,
 * whichever comes first, and {@link RequestSignal.race} to stop waiting for the work at that moment.
 *
 * It replaces `AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(ms)])` and an abort listener
 * per wait, which CPU profiles of `/db/async?queries=1` under load put among the top costs:
 * `AbortSignal.timeout` keeps a signal alive through a weak reference and a finalization registry,
 * `AbortSignal.any` tracks a composite signal with more, reading `c.req.raw.signal` makes
 * @hono/node-server create an AbortController of its own for every request, and each
 * `addEventListener` on a signal parses its options. Here: one AbortController, a place in the
 * shared deadline queue of its timeout (deadlines.ts, no timer of its own), the hang-up heard as
 * Node's own `close` on the response (a plain EventEmitter listener), the wait ended by this object
 * itself, with no listener, and one slot where the work's own abort listener can go without an
 * EventTarget record (lib/abort-hook.ts: the database client's cancel).
 */
export class RequestSignal implements Expiring, AbortHook {
  readonly #controller = new AbortController();
  readonly #deadlines: Deadlines;
  /** The deadline queue's links (deadlines.ts). */
  deadline = 0;
  previous: Expiring | undefined = undefined;
  next: Expiring | undefined = undefined;
  /** The one abort listener taken through the hook (lib/abort-hook.ts). */
  #listener: (() => void) | undefined;
  #timedOut = false;
  #hungUp = false;
  #done = false;
  /** Rejects the pending {@link race}, if one is waiting. */
  #stopWaiting: ((reason: unknown) => void) | undefined;

  constructor(client: HangUpSource, timeoutMs: number) {
    if (client instanceof AbortSignal) {
      if (client.aborted) this.hangUp(client.reason);
      else client.addEventListener('abort', () => this.hangUp(client.reason), { once: true });
    } else if (client.destroyed) this.hangUp();
    else {
      // One listener function for every response, finding its request here, rather than a closure each.
      (client as Heard)[REQUEST] = this;
      client.on('close', hangUpOnClose);
    }
    offerAbortHook(this.#controller.signal, this);
    this.#deadlines = deadlinesFor(timeoutMs);
    this.#deadlines.join(this);
  }

  add(listener: () => void): boolean {
    if (this.#listener || this.#controller.signal.aborted) return false;
    this.#listener = listener;
    return true;
  }

  delete(listener: () => void): boolean {
    if (this.#listener !== listener) return false;
    this.#listener = undefined;
    return true;
  }

  /** Aborts at the deadline (reason: a `TimeoutError`, as AbortSignal.timeout gives) or on hang-up. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether the deadline, rather than the client, ended the request. */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /** Whether the client hung up before the request was answered. */
  get hungUp(): boolean {
    return this.#hungUp;
  }

  /**
   * Settles with the work, or rejects with the abort reason as soon as the request aborts, whichever
   * comes first. Abandoned work that cannot be cancelled (a query already sent) finishes in the
   * background, and its failure is handled here (never an unhandled rejection).
   */
  race<T>(work: T | Promise<T>): Promise<T> {
    if (!(work instanceof Promise)) return Promise.resolve(work);
    return new Promise<T>((resolve, reject) => {
      if (this.#controller.signal.aborted) reject(this.#controller.signal.reason);
      else this.#stopWaiting = reject;
      work.then(resolve, reject);
    });
  }

  /** The client hung up (Node's response closed before it was finished, or the request's signal aborted). */
  hangUp(reason: unknown = HANG_UP_REASON): void {
    if (this.#done || this.#controller.signal.aborted) return;
    this.#hungUp = true;
    this.#abort(reason);
  }

  expire(): void {
    if (this.#done || this.#controller.signal.aborted) return;
    this.#timedOut = true;
    this.#abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }

  #abort(reason: unknown): void {
    this.#deadlines.leave(this);
    this.#controller.abort(reason);
    const listener = this.#listener;
    this.#listener = undefined;
    listener?.();
    this.#stopWaiting?.(reason);
  }

  /** Stops the timer once the request is answered; a `close` after this is the answer's own, not a hang-up. */
  dispose(): void {
    this.#done = true;
    this.#stopWaiting = undefined;
    this.#deadlines.leave(this);
  }
}

/** Where a response keeps the RequestSignal that listens for its `close`. */
const REQUEST = Symbol('looplab.requestSignal');
type Heard = ServerResponse & { [REQUEST]?: RequestSignal };

function hangUpOnClose(this: Heard): void {
  this[REQUEST]?.hangUp();
}
