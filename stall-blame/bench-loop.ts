/**
 * A saturated event loop, for the benchmark (`bench.ts`): back-to-back tasks of fixed work (a few calls
 * deep, allocating a little, as a handler would) for `seconds`, then one JSON line on stdout: how many
 * tasks ran and the main thread's CPU time. Run with and without the preload:
 *
 *   node [--import ./stall-blame/preload.ts] stall-blame/bench-loop.ts 3
 */
const seconds = Number(process.argv[2] ?? 3);

function mix(rounds: number): number {
  let x = 0;
  for (let i = 0; i < rounds; i += 1) x = (x * 31 + i) % 1000003;
  return x;
}
const parse = (rounds: number) => ({ value: mix(rounds), parts: [rounds, rounds + 1, rounds + 2] });
const validate = (rounds: number) => parse(rounds).parts.length + parse(rounds).value;
const handle = (rounds: number) => validate(rounds);

let tasks = 0;
let sink = 0;
const cpuBefore = process.threadCpuUsage();
const began = performance.now();
const until = began + seconds * 1000;
function task(): void {
  sink += handle(10_000);
  tasks += 1;
  if (performance.now() < until) {
    setImmediate(task);
    return;
  }
  const cpu = process.threadCpuUsage(cpuBefore);
  process.stdout.write(
    `${JSON.stringify({ tasks, cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - began, sink: sink % 10 })}\n`,
  );
}
setTimeout(task, 500); // past start-up (and the preload's first profile segment)
