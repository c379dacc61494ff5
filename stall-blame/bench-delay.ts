/**
 * An idle or lightly loaded event loop, for the benchmark (`bench.ts`): after start-up, `seconds` of
 * either nothing (`idle`) or a "request" every 20 ms that runs 1 ms of JavaScript (`light`, 5% busy),
 * with the loop's delay sampled every millisecond (perf_hooks' monitorEventLoopDelay, as the server's
 * own loop delay figure); then one JSON line on stdout: the delay's p99 and max, ms. Run with and
 * without a preload:
 *
 *   node [--import ./stall-blame/preload.ts] stall-blame/bench-delay.ts 3 light
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

const seconds = Number(process.argv[2] ?? 3);
const light = process.argv[3] === 'light';

function work(ms: number): number {
  const until = performance.now() + ms;
  let x = 0;
  while (performance.now() < until) x = (x * 31 + 7) % 1000003;
  return x;
}

const delay = monitorEventLoopDelay({ resolution: 1 });
setTimeout(function measure() {
  const requests = light ? setInterval(() => work(1), 20) : undefined;
  delay.enable();
  setTimeout(function report() {
    delay.disable();
    clearInterval(requests);
    process.stdout.write(
      `${JSON.stringify({ p99Ms: delay.percentile(99) / 1e6, maxMs: delay.max / 1e6, samples: delay.count })}\n`,
    );
  }, seconds * 1000);
}, 1500); // past start-up, the preload's first profile segment and its first rotation
