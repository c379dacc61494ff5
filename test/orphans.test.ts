import { resolve } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { embeddedUrl } from '../db/embedded-url.ts';
import { freePort } from '../lib/free-port.ts';
import { databaseObserver } from './helpers/observe.ts';
import { commandOf, descendants, stillAlive } from './helpers/process-tree.ts';
import { startServerProcess, type ServerProcess } from './helpers/server-process.ts';
import { waitFor } from './helpers/wait-for.ts';

/**
 * `npm start` as users run it: the server starts its own PostgreSQL and upstream as child processes.
 * Whatever happens to the server, they must not outlive it; and on SIGTERM the dependencies stop only
 * after the requests that use them have been answered.
 */
const DATA_DIR = resolve('.looplab/postgres-orphans-test');
let server: ServerProcess | undefined;
let children: number[] = [];
afterEach(() => {
  server?.kill();
  for (const pid of stillAlive(children)) process.kill(pid, 'SIGKILL');
});

/** Starts main.ts with an embedded PostgreSQL and the bundled upstream, and notes its children. */
async function startWithChildren(): Promise<{ server: ServerProcess; pgPort: number }> {
  const pgPort = await freePort();
  const started = await startServerProcess({
    DATABASE_URL: '',
    UPSTREAM_URL: '',
    PG_PORT: String(pgPort),
    PG_DATA_DIR: DATA_DIR,
    UPSTREAM_PORT: String(await freePort()),
  });
  server = started;
  children = descendants(started.pid);
  const commands = children.map(commandOf).join('\n');
  // The premise: the database host, the postgres binary and the upstream all run below the server.
  expect(commands).toMatch(/db\/host\.ts/);
  expect(commands).toMatch(/bin\/postgres/);
  expect(commands).toMatch(/upstream\/main\.ts/);
  return { server: started, pgPort };
}

/** Waits for every noted child to exit; a failure names the ones still running and what they are. */
const allGone = (what: string) =>
  waitFor(what, () => (stillAlive(children).length === 0 ? true : undefined), 30_000, 100).catch((err: unknown) => {
    const left = stillAlive(children).map((pid) => `${pid} ${commandOf(pid)}`);
    throw new Error(`${err instanceof Error ? err.message : String(err)}; still running:\n${left.join('\n')}`);
  });

it('leaves no PostgreSQL or upstream running when the server is killed outright', async () => {
  const { server } = await startWithChildren();
  server.kill('SIGKILL');
  await server.exited;
  await allGone('PostgreSQL and the upstream to exit by themselves');
}, 120_000);

it('on SIGTERM answers the in-flight database and upstream requests before stopping PostgreSQL and the upstream, then exits 0', async () => {
  const { server, pgPort } = await startWithChildren();
  const requests = ['/db/async?sleep=1500', '/fetch/async?delay=1500'].map(async (path) => {
    const res = await fetch(server.url + path);
    return { path, status: res.status, body: (await res.json()) as Record<string, unknown> };
  });
  const db = databaseObserver(embeddedUrl(pgPort));
  try {
    await waitFor('the query to be running', async () => ((await db.sleepingQueries()) > 0 ? true : undefined));
  } finally {
    await db.close(); // the observer's own connection must not hold PostgreSQL's shutdown up
  }
  server.kill('SIGTERM');
  // Had PostgreSQL or the upstream stopped first, these would be 503 and 502.
  const answers = await Promise.all(requests);
  for (const answer of answers) expect(answer.status, `${answer.path}: ${JSON.stringify(answer.body)}`).toBe(200);
  expect(answers[0]?.body['rows']).toHaveLength(1);
  expect(answers[1]?.body).toMatchObject({ requests: 1, bytesReceived: 1024 });
  expect(await server.exited).toEqual({ code: 0, signal: null });
  await allGone('PostgreSQL and the upstream to stop');
}, 120_000);
