import { Agent, request } from 'undici';
import { expect, it } from 'vitest';
import { RELAYED_COPY_WINDOW_MS } from '../server/lifecycle/stop-signals.ts';
import { isListening, mainUnderTest, until } from './helpers/main-under-test.ts';
import { RawConnection } from './helpers/raw-http.ts';
import { waitFor } from './helpers/wait-for.ts';

/**
 * The graceful stop in detail, one server process per case: connections still in the accept backlog
 * are answered, the listener closes at once, a second signal exits at once, and a relayed copy of the
 * first is not taken as a second. Each case waits seconds on purpose (requests held in flight), so
 * e2e; the fast tier keeps the SIGTERM drain under load (shutdown.test.ts).
 */
const { startMain, upstreamCalls, signal, exitCode } = mainUnderTest();

it('answers the connections still in the accept backlog when the signal comes while a blocking request holds the loop', async () => {
  const { url, exited } = await startMain({ SHUTDOWN_GRACE_MS: '15000' });
  // The hold: blocking /fetch waits on the upstream with the loop stopped (Atomics.wait), so it lasts
  // the upstream's delay whatever the CPU's load; the test acts once the upstream has the call.
  const holder = new RawConnection(url);
  const atUpstream = await upstreamCalls(1);
  await holder.send('/fetch/blocking?delay=3000&count=1');
  await atUpstream();
  // Connected (the kernel completes the handshake for a listening socket whose loop is held) and sent
  // (the bytes are in the kernel's buffer) before the signal: the server has not accepted them yet.
  const waiting = Array.from({ length: 6 }, () => new RawConnection(url));
  await Promise.all(waiting.map((connection) => connection.send('/health')));
  signal('SIGINT');

  const answers = await Promise.all(
    [holder, ...waiting].map((connection) =>
      connection.answer().then(
        (answer) => answer.status,
        () => `no answer (${connection.error?.code ?? 'closed'})`,
      ),
    ),
  );
  expect(answers).toEqual([200, 200, 200, 200, 200, 200, 200]);
  expect(await exited).toBe(0);
});

it('stops accepting new connections once shutting down', async () => {
  const { url, exited } = await startMain();
  const atUpstream = await upstreamCalls(1);
  let slowSettled = false;
  const slow = fetch(`${url}/fetch/async?delay=4000`).finally(() => (slowSettled = true));
  await atUpstream();
  expect(await isListening(Number(new URL(url).port))).toBe(true);
  signal('SIGTERM');
  // The listening socket goes away while the request is still being answered: the kernel's own table,
  // not a guess at how long the server takes to notice the signal.
  await waitFor('the listening socket to close', async () =>
    (await isListening(Number(new URL(url).port))) ? undefined : true,
  );
  expect(slowSettled).toBe(false);
  // A new connection (a fresh agent: the global one may still hold an idle keep-alive connection,
  // which is allowed to deliver one last request during the linger) is refused.
  const fresh = new Agent();
  await expect(request(`${url}/health`, { dispatcher: fresh })).rejects.toThrow(/ECONNREFUSED/);
  await fresh.close();
  expect((await slow).status).toBe(200);
  expect(await exited).toBe(0);
});

it('exits at once on a second signal, without waiting for in-flight work', async () => {
  const { url, exited, printed } = await startMain({ SHUTDOWN_GRACE_MS: '60000' });
  const atUpstream = await upstreamCalls(1);
  const slow = fetch(`${url}/fetch/async?delay=8000`).then(
    (res) => res.status,
    () => 'no answer',
  );
  await atUpstream();
  signal('SIGTERM');
  await printed(/SIGTERM received, shutting down/); // the first taken, and the drain begun
  signal('SIGINT');
  expect(await exited).toBe(1);
  // Causality, not a clock: had it waited for the in-flight request, that request would have got its
  // 200 (its upstream answers after 8 s, well inside the 60 s grace) before the exit.
  expect(await slow).toBe('no answer');
});

it('counts the same signal twice within a second as one (a relayed copy), and a later one as "exit now"', async () => {
  const { url, exited, printed } = await startMain({ SHUTDOWN_GRACE_MS: '60000' });
  const atUpstream = await upstreamCalls(1);
  const slow = fetch(`${url}/fetch/async?delay=10000`).then(
    (res) => res.status,
    () => 'no answer',
  );
  await atUpstream();
  signal('SIGTERM');
  // The copy only once the first was taken: two sent back to back are often merged by the kernel into
  // one delivery (a pending signal is not queued twice), and then there is no copy to count.
  const firstSeen = await printed(/SIGTERM received, shutting down/);
  signal('SIGTERM'); // what npm's relay or a process-group signal adds
  // An event, not a sleep that a loaded machine can outrun: the server took the copy as a copy (it
  // would have exited 1 instead of saying so).
  await printed(/SIGTERM again, taken as a relayed copy/);
  expect(exitCode()).toBe(null); // still draining
  // The server stamped the first signal before this process saw it said: a signal sent a window after
  // that reaches it after its window, however late either side runs.
  await until(firstSeen, RELAYED_COPY_WINDOW_MS);
  signal('SIGTERM');
  expect(await exited).toBe(1);
  expect(await slow).toBe('no answer');
});

it('under npm start, ignores npm\'s relayed copy even when it comes late, and takes the next one as "exit now"', async () => {
  // What npm sets for the script it runs: the server then knows its parent relays every signal it gets.
  const { url, exited, printed } = await startMain({
    SHUTDOWN_GRACE_MS: '60000',
    npm_lifecycle_event: 'start',
    npm_lifecycle_script: 'exec node --import tsx server/main.ts',
  });
  const atUpstream = await upstreamCalls(1);
  const slow = fetch(`${url}/fetch/async?delay=10000`).then(
    (res) => res.status,
    () => 'no answer',
  );
  await atUpstream();
  signal('SIGINT'); // the process-group signal, straight to the server
  const firstSeen = await printed(/SIGINT received, shutting down/);
  // npm's relay of the same Ctrl-C, late because npm waited for a CPU: surely past the window.
  await until(firstSeen, RELAYED_COPY_WINDOW_MS);
  signal('SIGINT');
  await printed(/SIGINT again, taken as a relayed copy/);
  expect(exitCode()).toBe(null); // still draining
  signal('SIGINT'); // a second Ctrl-C
  expect(await exited).toBe(1);
  expect(await slow).toBe('no answer');
});
