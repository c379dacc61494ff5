import { DEFAULT_OPTIONS, OPTION_LIMITS } from '../defaults.ts';
import { EXIT_CODES_TEXT } from './exit-codes.ts';
import { THRESHOLD_METRICS_TEXT } from '../analyse/thresholds.ts';

/** Wraps a long comma-separated list to the help text's indented column. */
function wrap(text: string, indent: string, width = 100): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line].map((l) => indent + l).join('\n');
}

/** `npm run loadtest -- --help`. */
export const USAGE = `Usage: npm run loadtest -- [options]
       npm run -s loadtest -- --json [options] | jq …   (-s keeps npm's banner off stdout)

Runs every workload × mode × concurrency scenario against a looplab server and reports throughput,
latency, errors and event-loop health side by side. Without --url it starts the embedded database,
the upstream and the server as separate processes, and stops them at the end. Progress goes to
stderr (a live line on a terminal); the table, or with --json only the results, goes to stdout.

Options (lists are comma-separated; a list of levels is a sweep; each option at most once):
  --workload FILE      a workload file of your own for the server the harness starts (its WORKLOADS);
                       repeatable or comma-separated; without --workloads, the run is these files' workloads
  --workloads LIST     workloads by name, as the server's index lists them (curl <server>/), e.g. my-work,hash
                       (default: every built-in, or with --workload every workload of those files)
  --modes LIST         modes by name, e.g. blocking,async,worker (default: every mode the server has;
                       a workload without one of them has no scenario for it)
  --connections LIST   closed-model concurrency levels, ${OPTION_LIMITS.connections.min}..${OPTION_LIMITS.connections.max} (default: ${DEFAULT_OPTIONS.connections.join(',')})
  --rate LIST          open model instead: constant arrival rates in requests/s, ${OPTION_LIMITS.rate.min}..${OPTION_LIMITS.rate.max}
  --duration S         measured seconds per run, ${OPTION_LIMITS.duration.min}..${OPTION_LIMITS.duration.max} (default: ${DEFAULT_OPTIONS.duration})
  --warmup S           unmeasured seconds before each run, ${OPTION_LIMITS.warmup.min}..${OPTION_LIMITS.warmup.max} (default: ${DEFAULT_OPTIONS.warmup})
  --repeat N           runs per scenario; medians and spread are reported, ${OPTION_LIMITS.repeat.min}..${OPTION_LIMITS.repeat.max} (default: 1)
  --params LIST        workload parameters, e.g. fetch.delay=100,hash.cost=50000,db.sleep=20, over each
                       workload's load-test defaults (the index's "loadtest"); checked by the server
                       itself before any load (curl <server>/ lists them)
  --workers LIST       worker-pool sizes to sweep; restarts the server per value (not with --url)
  --processes LIST     server processes to sweep (CLUSTER, node:cluster), ${OPTION_LIMITS.processes.min}..${OPTION_LIMITS.processes.max}; restarts the
                       server per value (not with --url); --workers and the pools are per process
  --queue-backends LIST  queue mode's backends side by side, e.g. postgres,redis: the queue scenarios run
                       once per backend, each on a server of its own, rows named queue-postgres,
                       queue-redis; redis starts a redis-server on a free port (or uses REDIS_URL);
                       implies queue mode; not with --url, --target, --faults, --export
  --url URL            an already-running server: start nothing
  --target URL         instead of looplab: load any HTTP endpoint (path and query as given) with the same
                       models, canary, report and thresholds ('target.p99<300'); no event-loop figures,
                       bounds or verdicts (those need looplab's GET /, /metrics); not with --url,
                       --workload(s), --modes, --params, --workers, --processes, --faults, --export
  --probe PATH         with --target: the canary path on its server, e.g. /health (default: none, and
                       the /health p99 column stays empty)
  --generators N       load-generator processes sharing each scenario's load, ${OPTION_LIMITS.generators.min}..${OPTION_LIMITS.generators.max}
                       (4 per core; default: 1, the harness's own process): connections are split
                       across them, an open-model rate is divided, histograms are merged exactly
  --no-blame           no stall blame (on by default: the server profiles its event loop and each run
                       names the code that stalled it, one line under each scenario)
  --blame-threshold MS a stall is the event loop more than MS late, ${OPTION_LIMITS.blameThreshold.min}..${OPTION_LIMITS.blameThreshold.max} (default: ${DEFAULT_OPTIONS.blameThresholdMs})
  --blame-url URL      with --url or --target: that server's stall-blame endpoint (started with
                       node --import <looplab>/stall-blame/preload.ts and LOOPLAB_BLAME_PORT)
  --probe-rate N       /health probes per second during each run, ${OPTION_LIMITS.probeRate.min}..${OPTION_LIMITS.probeRate.max} (default: ${DEFAULT_OPTIONS.probeRate})
  --out DIR            where results/<timestamp>/ goes (default: ${DEFAULT_OPTIONS.out})
  --json               print only the results JSON to stdout (every other line goes to stderr)
  --compare FILE       show the change of every figure against an earlier results.json
  --threshold EXPR     fail (exit 1) unless EXPR holds, e.g. 'hash.worker.rps>=1.5*hash.blocking.rps'
                       or 'fetch.async.p99<300' or 'cpu.async.loop_busy<80'; repeatable. EXPR is
                       workload.mode.metric OP number, or OP [factor*]workload.mode.metric, OP one of
                       >= <= == > <; each metric in the unit the table shows:
${wrap(THRESHOLD_METRICS_TEXT, '                         ')}
  --faults             instead of the matrix: load the async mode of the workloads that declare a database
                       or upstream dependency at --rate (default 50) while the database, then the
                       upstream, are stopped and restarted (--duration s per phase), then load
                       /fetch/queue and SIGKILL a queue worker mid-job; takes only --rate
                       (one value), --duration, --out and --json
  --export k6 DIR      instead of running: write each scenario as a k6 script (TypeScript) into DIR, the
                       thresholds k6 can express translated; asks the server (GET /) for the plan but
                       sends no load; takes only the options that shape the scenarios
  --help               this text

${EXIT_CODES_TEXT}`;
