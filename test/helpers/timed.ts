import type { TestApp } from './test-app.ts';

/** One GET with its status, JSON body, headers and the time it took on this clock. */
export async function timed(app: TestApp, path: string) {
  const started = performance.now();
  const res = await app.get(path);
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, body, headers: res.headers, ms: performance.now() - started };
}
