import { request } from 'undici';

/** A GET's answer: its status, and its body read once, in the form the caller wants. */
export interface HttpAnswer {
  readonly status: number;
  /** 2xx, as fetch's `ok`. */
  readonly ok: boolean;
  text(): Promise<string>;
  json(): Promise<unknown>;
  /** Reads the body to the end and drops it, so the connection can be reused. */
  dump(): Promise<void>;
}

/**
 * A GET for every request the harness makes to a server it loads: looplab's own, `--url`, `--target`,
 * `--probe`, a stall-blame endpoint. Not WHATWG `fetch`, which refuses "bad ports" (6000, 6665–6669,
 * 5060, 10080, … in the Fetch standard's list) with a bare "fetch failed" before any connection, while
 * a user's server may well listen there; undici's `request` has no such rule. A failure keeps fetch's
 * shape, the socket error (and its `code`) in `cause`, so a caller reads `cause.code` either way.
 */
export async function httpGet(url: string, timeoutMs?: number): Promise<HttpAnswer> {
  const signal = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(url, { method: 'GET', ...(signal ? { signal } : {}) });
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    throw new Error(`GET ${url} failed: ${(err as Error).message}`, { cause: err });
  }
  const { statusCode, body } = res;
  return {
    status: statusCode,
    ok: statusCode >= 200 && statusCode < 300,
    text: () => body.text(),
    json: () => body.json(),
    dump: () => body.dump(),
  };
}
