import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { basename } from 'node:path';
import { typeScriptLoaderArgs } from './loader-args.ts';

/** The first IPC message a managed child sends: it is up, and where. */
export interface ReadyMessage {
  type: 'ready';
  url: string;
  /** Where the child serves its stall-blame report, when it runs one (looplab's server with STALL_THRESHOLD_MS). */
  blameUrl?: string;
}

export interface ManagedChild {
  readonly url: string;
  /** The child's stall-blame report, when its ready message named one. */
  readonly blameUrl?: string | undefined;
  readonly pid: number;
  /** Asks the child to stop (IPC), waits for it to exit, and kills it if it takes longer than `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Resolves when the child has exited, for whatever reason (a supervisor restarts on it). */
  readonly exited: Promise<unknown>;
}

/** The message a managed child sends instead when it cannot start: one line for the user. */
export interface FailedMessage {
  type: 'failed';
  message: string;
}

const isFailed = (msg: unknown): msg is FailedMessage =>
  typeof msg === 'object' &&
  msg !== null &&
  (msg as FailedMessage).type === 'failed' &&
  typeof (msg as FailedMessage).message === 'string';

const isReady = (msg: unknown): msg is ReadyMessage =>
  typeof msg === 'object' &&
  msg !== null &&
  (msg as ReadyMessage).type === 'ready' &&
  typeof (msg as ReadyMessage).url === 'string';

/**
 * Starts a TypeScript entry file as a child process and waits for its ready message.
 *
 * The child gets its own process group (`detached`), so a Ctrl-C in the terminal reaches only the
 * parent, which then stops its children in order (server first, dependencies last). The children
 * exit by themselves if the parent dies (IPC disconnect).
 */
export interface StartChildOptions {
  /** Drop the child's stdout (its stderr still shows). */
  quiet?: boolean;
  startTimeoutMs?: number;
}

export async function startChild(
  entry: URL,
  name: string,
  env: Record<string, string>,
  options: StartChildOptions = {},
): Promise<ManagedChild> {
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const child: ChildProcess = fork(entry, [], {
    execArgv: typeScriptLoaderArgs(),
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', options.quiet ? 'ignore' : 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');

  const ready = await new Promise<ReadyMessage>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start within ${startTimeoutMs} ms`)),
      startTimeoutMs,
    );
    let failure: string | undefined;
    child.on('message', function onMessage(msg) {
      if (isReady(msg)) {
        clearTimeout(timer);
        resolve(msg);
      } else if (isFailed(msg)) {
        failure = msg.message;
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(failure ?? `${name} exited before it was ready (code ${code}, signal ${signal})`));
    });
  }).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  // From here on the child must not keep the parent alive by itself.
  child.unref();
  child.channel?.unref();

  return {
    url: ready.url,
    blameUrl: ready.blameUrl,
    pid: child.pid ?? -1,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ type: 'stop' });
      else child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * How long a child whose parent died may take to shut down before it exits anyway. Nobody waits for
 * that clean stop, and it can hang (one child was still running 30 s after a SIGKILLed server; not
 * reproduced since — a queue worker closing its BullMQ connection while the database host, orphaned at
 * the same moment, stops PostgreSQL under it is one way). An orphan must not outlive its parent for long.
 */
const ORPHANED_EXIT_MS = 5_000;

/**
 * The child's side: report readiness, and call `shutdown` once when the parent says stop or goes away.
 * Gone away (the IPC channel closed: the parent exited or was killed), the shutdown gets
 * {@link ORPHANED_EXIT_MS}, then the process exits 1 whatever is still pending.
 */
export function serveParent(url: string, shutdown: () => Promise<void>, orphanedExitMs = ORPHANED_EXIT_MS): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    shutdown().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('message', (msg) => {
    if ((msg as { type?: unknown }).type === 'stop') stop();
  });
  const orphaned = () => {
    setTimeout(() => {
      // Named by its entry file, not `url`: the database host's URL carries its password.
      console.error(
        `looplab ${basename(process.argv[1] ?? 'child')} (pid ${process.pid}): the parent is gone and the shutdown did ` +
          `not finish within ${orphanedExitMs} ms; exiting`,
      );
      process.exit(1);
    }, orphanedExitMs).unref();
    stop();
  };
  process.on('SIGTERM', stop);
  if (!process.send) return; // started by hand: no parent to serve
  // The parent was killed while this child was starting: its channel closed before this listener could
  // hear it, so nothing else would ever stop this process.
  if (!process.connected) {
    orphaned();
    return;
  }
  process.on('disconnect', orphaned);
  // With a callback, a send that fails because the parent went since the check above goes to the callback
  // instead of being an unhandled 'error' that kills the process with a stack trace; 'disconnect' stops it.
  process.send({ type: 'ready', url } satisfies ReadyMessage, () => {});
}

/**
 * The child's side when it cannot start: the parent gets `message` as the reason (one line, shown to
 * the user as is); started by hand, the message goes to stderr. Exits 1 once the message is sent.
 */
export function failToParent(message: string): void {
  if (!process.send) {
    console.error(message);
    process.exit(1);
  }
  process.send({ type: 'failed', message } satisfies FailedMessage, () => process.exit(1));
}
