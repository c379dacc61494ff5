import { countPrimes, sumSquares, SUM_SQUARES_MAX_N } from './cpu-tasks.ts';
import { runCooperatively, runToEnd, type Steps } from './steps.ts';
import { defineWorkload } from './workload.ts';

const TASKS = ['sum-squares', 'primes'] as const;
type Task = (typeof TASKS)[number];

/** Upper bounds of n per task, each ~0.1 s of one core (the sieve also needs n bytes). */
const MAX_N: Readonly<Record<Task, number>> = { 'sum-squares': SUM_SQUARES_MAX_N, primes: 20_000_000 };

function steps(task: Task, n: number): Steps<string | number> {
  return task === 'sum-squares' ? sumSquares(n) : countPrimes(n);
}

const result = (task: Task, n: number, value: string | number) => ({ task, n, result: String(value) });

export const cpuWorkload = defineWorkload({
  name: 'cpu',
  summary: "The seed tutorials' pure-JS CPU tasks: sum of i*i for i < n (exact), or the count of primes <= n.",
  params: {
    task: { kind: 'enum', values: TASKS, default: 'sum-squares', doc: 'which CPU task to run' },
    n: {
      kind: 'int',
      min: 0,
      max: SUM_SQUARES_MAX_N,
      default: 5_000_000,
      doc: `problem size; at most ${MAX_N['sum-squares']} for sum-squares and ${MAX_N.primes} for primes`,
    },
  },
  modes: {
    blocking: 'runs the loop on the event-loop thread in one go',
    async: 'the same loop in slices, yielding to the event loop between them (cooperative; no faster)',
    worker: 'runs the loop in a pool worker thread',
  },
  check({ task, n }) {
    return n > MAX_N[task]
      ? { param: 'n', error: `"n" is out of range for task ${task}`, allowed: `whole number 0..${MAX_N[task]}` }
      : undefined;
  },
  // About 40 ms of one core per request on the reference machine: long enough to show the stall.
  loadtest: { params: { task: 'sum-squares', n: 20_000_000 } },
  bound: { kind: 'cpu' },
  blocking: ({ task, n }) => result(task, n, runToEnd(steps(task, n))),
  async: async ({ task, n }, _io, signal) => result(task, n, await runCooperatively(steps(task, n), signal)),
  inWorker: async ({ task, n }) => result(task, n, runToEnd(steps(task, n))),
});
