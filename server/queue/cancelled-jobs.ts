/**
 * The jobs whose callers left before a worker took them, as one queue worker heard of them (the
 * server's cancel event reaches every worker): the worker that takes one discards it instead of
 * running it. Each id is kept until its job's deadline, after which a worker discards the job anyway,
 * so the set holds at most the cancels of one deadline's span.
 */
export class CancelledJobs {
  private readonly until = new Map<string, number>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** Remembers `jobId` until `deadline` (epoch ms); an event without a usable deadline is kept a minute. */
  add(jobId: string, deadline: number): void {
    this.forgetPast();
    this.until.set(jobId, Number.isFinite(deadline) ? deadline : this.now() + 60_000);
  }

  /** True (once) when `jobId` was cancelled and its deadline has not passed. */
  take(jobId: string): boolean {
    const deadline = this.until.get(jobId);
    this.until.delete(jobId);
    return deadline !== undefined && deadline > this.now();
  }

  get size(): number {
    return this.until.size;
  }

  private forgetPast(): void {
    const now = this.now();
    for (const [id, deadline] of this.until) if (deadline <= now) this.until.delete(id);
  }
}
