import { setTimeout as sleep } from 'node:timers/promises';
import { WORKERS_CANNOT_LOAD } from '../../contract/ready.ts';
import { httpGet } from './http-get.ts';

/** The target cannot be load-tested: nothing listens there, or it never became ready. */
export class TargetUnreachableError extends Error {
  override name = 'TargetUnreachableError';
}

export interface WaitSettings {
  /** How long "connection refused" is tolerated (a server just being started) before giving up. */
  refusedGraceMs?: number;
  /** How long a server that answers but is not ready yet is waited for. */
  readyTimeoutMs?: number;
  /** How often to say that it is still waiting. */
  noteEveryMs?: number;
}

/** The socket error's code (httpGet keeps it in `cause`, as fetch does), if any. */
function errorCode(err: unknown): string | undefined {
  const cause = (err as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/**
 * A `/ready` body that says the server will never be ready (its worker threads cannot load a workload
 * file) becomes a sentence, so nobody waits a minute for it; the server's own log line, printed by the
 * server when it started, names the file and the reason.
 */
function neverReady(origin: string, body: string): TargetUnreachableError | undefined {
  if (!body.includes(WORKERS_CANNOT_LOAD)) return undefined;
  return new TargetUnreachableError(
    `${origin} will not become ready: its worker threads cannot load a workload file (the server's "looplab: the ` +
      `worker threads cannot load…" line says which and why)`,
  );
}

/**
 * Waits until an already-running server (`--url`) answers `/ready` with 200, saying so while it waits.
 * It gives up at once when the host does not resolve, after a short grace when the connection is
 * refused (a server being started in another terminal gets those seconds), and after `readyTimeoutMs`
 * when the server answers but is not ready. A silent minute followed by "was not ready" helps nobody.
 * @throws TargetUnreachableError with a sentence saying what was found at the URL.
 */
export async function waitForUrl(
  origin: string,
  note: (text: string) => void,
  settings: WaitSettings = {},
): Promise<void> {
  const { refusedGraceMs = 3000, readyTimeoutMs = 60_000, noteEveryMs = 5000 } = settings;
  const started = Date.now();
  let lastNote = started;
  note(`waiting for ${origin} to answer /ready…`);
  for (;;) {
    let last: string;
    try {
      const res = await httpGet(`${origin}/ready`, 5000);
      const text = await res.text();
      const body = text.slice(0, 200);
      if (res.ok) return;
      if (res.status === 404)
        throw new TargetUnreachableError(`${origin}/ready answered 404: is --url a looplab server?`);
      const never = neverReady(origin, text);
      if (never) throw never;
      last = `/ready answered ${res.status} ${body}`;
    } catch (err) {
      if (err instanceof TargetUnreachableError) throw err;
      const code = errorCode(err);
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
        throw new TargetUnreachableError(`cannot resolve the host of ${origin} (${code}); check --url`);
      if (code === 'ECONNREFUSED' && Date.now() - started >= refusedGraceMs) {
        throw new TargetUnreachableError(
          `nothing is listening at ${origin} (connection refused for ${refusedGraceMs / 1000} s); start the server (npm start) or check --url`,
        );
      }
      last = code ?? (err as Error).message;
    }
    if (Date.now() - started >= readyTimeoutMs)
      throw new TargetUnreachableError(`${origin} was not ready within ${readyTimeoutMs / 1000} s (last: ${last})`);
    if (Date.now() - lastNote >= noteEveryMs) {
      note(`still waiting for ${origin} (${last})`);
      lastNote = Date.now();
    }
    await sleep(250);
  }
}

/** Polls `/ready` until the server says its database, upstream and workers are usable. */
export async function waitUntilReady(origin: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await httpGet(`${origin}/ready`, 5_000);
      if (res.ok) return;
      const body = await res.text();
      const never = neverReady(origin, body);
      if (never) throw never;
      last = `${res.status} ${body}`;
    } catch (err) {
      if (err instanceof TargetUnreachableError) throw err;
      last = (err as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${origin} was not ready within ${timeoutMs / 1000} s (last answer: ${last})`);
}
