/**
 * One load generator in a process of its own (see generators.ts): it runs the jobs the harness sends,
 * one at a time, with the same closed and open models as a single generator, and sends back its
 * histograms and counts to be merged. Progress goes up in batches so the harness is not woken per request.
 */
import { runClosedModel } from './closed-model.ts';
import { localTime, type GeneratorJob, type GeneratorMessage, type GeneratorReport } from './generator-job.ts';
import { runOpenModel } from './open-model.ts';
import { isOk } from './outcome-log.ts';

const PROGRESS_EVERY_MS = 250;
const send = (message: GeneratorMessage) => process.send?.(message);

async function run(job: GeneratorJob): Promise<GeneratorReport> {
  const cpuBefore = process.cpuUsage();
  const startAt = localTime(job.startAtEpochMs);
  const tally = { ok: 0, failed: 0 };
  const count = (ok: boolean) => void (ok ? tally.ok++ : tally.failed++);
  const flush = () => {
    if (tally.ok + tally.failed === 0) return;
    send({ type: 'progress', ...tally });
    tally.ok = tally.failed = 0;
  };
  const timer = setInterval(flush, PROGRESS_EVERY_MS);
  try {
    const base = await (job.model === 'closed'
      ? runClosedModel({
          url: job.url,
          connections: job.connections,
          durationSeconds: job.durationSeconds,
          timeoutSeconds: job.timeoutSeconds,
          startAt,
          onOutcome: count,
        }).then((r) => ({
          due: r.sent,
          windowSeconds: r.windowSeconds,
          dropped: 0,
          abandoned: 0,
          log: r.log,
          sendLag: null,
        }))
      : runOpenModel({ ...job, startAt, onResult: (_due, outcome) => count(isOk(outcome)) }).then((r) => ({
          due: r.due,
          windowSeconds: r.windowSeconds,
          dropped: r.dropped,
          abandoned: r.abandoned,
          log: r.log,
          sendLag: r.sendLagHistogram,
        })));
    flush();
    const cpu = process.cpuUsage(cpuBefore);
    return { ...base, log: base.log.data(), cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    clearInterval(timer);
  }
}

process.on('message', (job: GeneratorJob) => {
  run(job).then(
    (report) => send({ type: 'done', report }),
    (err: unknown) => send({ type: 'failed', message: err instanceof Error ? err.message : String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
