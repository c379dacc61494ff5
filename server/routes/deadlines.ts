/** Something with a deadline in a {@link Deadlines} queue: the queue's links live on it, so joining allocates nothing. */
export interface Expiring {
  /** When it expires, on the `performance.now()` clock. */
  deadline: number;
  previous: Expiring | undefined;
  next: Expiring | undefined;
  expire(): void;
}

/**
 * The deadlines of in-flight requests that share one timeout, under one timer. With one timeout,
 * arrival order is deadline order, so the queue is a linked list a request joins at its tail and
 * leaves from anywhere, and the timer only ever needs to be armed for its head.
 *
 * It replaces a `setTimeout` and a `clearTimeout` per workload request: each allocated a Timeout with
 * an async id of its own and linked it into Node's timer list, and a CPU profile of
 * `/db/async?queries=1` under load put that among the request path's own costs. Here a request
 * costs a clock read and two links; the timer is armed when the queue fills, fires at the head's
 * deadline or earlier (the head it was armed for may have left), and then re-arms for the new head.
 */
export class Deadlines {
  #head: Expiring | undefined;
  #tail: Expiring | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #timeoutMs: number;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** Starts `item`'s clock: it expires `timeoutMs` from now unless {@link leave} comes first. */
  join(item: Expiring): void {
    item.deadline = performance.now() + this.#timeoutMs;
    item.previous = this.#tail;
    item.next = undefined;
    if (this.#tail) this.#tail.next = item;
    else this.#head = item;
    this.#tail = item;
    // Armed for the head (at or before every deadline in the queue); kept while a request waits, so
    // a waiting request keeps the process alive as its own timer did, and not after.
    if (this.#timer) this.#timer.ref();
    else this.#arm(this.#timeoutMs);
  }

  /** Stops `item`'s clock; a no-op for an item not in the queue (expired, or left already). */
  leave(item: Expiring): void {
    if (item.previous) item.previous.next = item.next;
    else if (this.#head === item) this.#head = item.next;
    else return;
    if (item.next) item.next.previous = item.previous;
    else this.#tail = item.previous;
    item.previous = item.next = undefined;
    if (!this.#head) this.#timer?.unref();
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(expireDue, Math.max(1, Math.ceil(ms)), this);
  }

  /** Expires every item now due, then re-arms for the next head, if any. */
  expireDue(): void {
    this.#timer = undefined;
    const now = performance.now();
    for (let item = this.#head; item && item.deadline <= now; item = this.#head) {
      this.leave(item);
      item.expire();
    }
    if (this.#head) this.#arm(this.#head.deadline - now);
  }
}

function expireDue(queue: Deadlines): void {
  queue.expireDue();
}

/** One queue per timeout, shared by every request with that timeout in this thread. */
const queues = new Map<number, Deadlines>();

/** The queue of requests whose timeout is `timeoutMs`. */
export function deadlinesFor(timeoutMs: number): Deadlines {
  let queue = queues.get(timeoutMs);
  if (!queue) queues.set(timeoutMs, (queue = new Deadlines(timeoutMs)));
  return queue;
}
