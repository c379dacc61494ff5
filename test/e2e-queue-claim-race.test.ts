import { randomInt } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { CANCEL_EVENT } from '../server/queue/protocol.ts';
import { descendants, stillAlive } from './helpers/process-tree.ts';
import { startServerProcess, type ServerProcess } from './helpers/server-process.ts';
import { waitFor } from './helpers/wait-for.ts';

/**
 * A caller hangs up just as a queue worker takes its job, on BullMQ's PostgreSQL backend. Its
 * `remove()` reads the job's lock without locking the row, so a remove that runs while a worker's
 * claim is still uncommitted deletes the job under that worker, which then logs "Missing key for job
 * … moveToFinished" (seen in a queue-mode load run). The window is a few milliseconds; a trigger on
 * this test's own job holds the claim open (until the test lets go of an advisory lock), so the hang-up
 * lands in it every time. The server must leave the job to its worker, which ends it as cancelled.
 */
const HOLD_KEY = 28_000 + randomInt(0, 1000);
/** A fetch delay no other test uses: the trigger and the look-ups match this test's job by it. */
const delay = 3000 + randomInt(0, 1000);
const trigger = `looplab_test_hold_claim_${delay}`;

let server: ServerProcess;
let sql: postgres.Sql;
let holder: postgres.ReservedSql;

beforeAll(async () => {
  sql = postgres(inject('databaseUrl'), { max: 3, onnotice: () => {} });
  holder = await sql.reserve();
  await holder`SELECT pg_advisory_lock(${HOLD_KEY})`;
  server = await startServerProcess({ QUEUE_WORKERS: '1', QUEUE_CONCURRENCY: '1', REQUEST_TIMEOUT_MS: '30000' });
  await waitFor(
    'a queue worker to serve',
    async () => ((await fetch(`${server.url}/cpu/queue?n=0`)).status === 200 ? true : undefined),
    60_000,
    100,
  );
  // A worker's claim of this job (its row set to active) waits for the advisory lock this test holds.
  await sql.unsafe(`CREATE OR REPLACE FUNCTION bullmq.${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_advisory_xact_lock(${HOLD_KEY}); RETURN NEW; END $$`);
  await sql.unsafe(`CREATE TRIGGER ${trigger} AFTER UPDATE ON bullmq.job FOR EACH ROW
    WHEN (NEW.state = 'active' AND NEW.data->'params'->>'delay' = '${delay}')
    EXECUTE FUNCTION bullmq.${trigger}()`);
}, 120_000);

afterAll(async () => {
  if (holder) {
    await holder`SELECT pg_advisory_unlock_all()`;
    holder.release();
  }
  await sql?.unsafe(`DROP TRIGGER IF EXISTS ${trigger} ON bullmq.job`);
  await sql?.unsafe(`DROP FUNCTION IF EXISTS bullmq.${trigger}()`);
  await sql?.end();
  if (!server) return;
  const tree = descendants(server.pid);
  server.kill('SIGKILL');
  for (const pid of stillAlive(tree)) process.kill(pid, 'SIGKILL');
});

const jobOf = async () =>
  (
    await sql<{ id: string; state: string; failed_reason: string | null }[]>`
      SELECT id, state::text, failed_reason FROM bullmq.job WHERE data->'params'->>'delay' = ${String(delay)}`
  )[0];

it('leaves a job a worker is taking to that worker when its caller hangs up, which ends it cancelled', async () => {
  const caller = new AbortController();
  const answer = fetch(`${server.url}/fetch/queue?delay=${delay}`, { signal: caller.signal }).catch(() => undefined);
  const { id } = await waitFor('the job to be added', jobOf, 20_000);
  await waitFor('a worker to start taking the job', async () => {
    const [row] = await sql`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = ${HOLD_KEY}`;
    return row ? true : undefined;
  });
  caller.abort();
  await answer;
  // The server has dealt with the hang-up: asked the workers to cancel the job, or (the bug) started
  // a remove that now waits for the worker's claim to commit.
  await waitFor('the server to act on the hang-up', async () => {
    const [cancel] = await sql`SELECT 1 FROM bullmq.event WHERE event = ${CANCEL_EVENT} AND data->>'jobId' = ${id}`;
    const [removing] =
      await sql`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE '%remove(%'`;
    return cancel || removing ? true : undefined;
  });
  await holder`SELECT pg_advisory_unlock(${HOLD_KEY})`;
  const ended = await waitFor('the job to end, or its worker to fail to end it', async () => {
    const job = await jobOf();
    if (job?.state === 'failed' || job?.state === 'completed') return job;
    return server.output().includes('Missing key') ? (job ?? 'gone') : undefined;
  });
  expect(server.output()).not.toContain('Missing key');
  expect(ended).toEqual({ id, state: 'failed', failed_reason: expect.stringMatching(/^(cancelled|discarded): /) });
}, 60_000);
