import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownStackEnv, runToEnd } from './helpers/processes.ts';

/** A port held by another listener for the duration of the tests. */
async function holdPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { port: address.port, server };
}

let dataDir = '';
let held: { port: number; server: Server };
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'looplab-startup-'));
  held = await holdPort();
});
afterAll(async () => {
  held.server.close();
  await rm(dataDir, { recursive: true, force: true });
});

const noStack = (output: string) => expect(output).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('a start-up that cannot succeed says why in one line, and leaves nothing running', () => {
  it('PORT already taken', async () => {
    const { code, output } = await runToEnd(await ownStackEnv(dataDir, { PORT: String(held.port) }));
    expect(code).toBe(1);
    expect(output).toContain(
      `looplab: port ${held.port} is already in use; choose another with PORT (PORT=0 picks any free port)`,
    );
    noStack(output);
    // The PostgreSQL it had started was stopped again: it no longer holds its data directory.
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
  }, 90_000);

  it('PG_PORT already taken', async () => {
    const { code, output } = await runToEnd(await ownStackEnv(dataDir, { PG_PORT: String(held.port) }));
    expect(code).toBe(1);
    expect(output).toContain(
      `port ${held.port} is already in use, so the embedded PostgreSQL cannot listen on it; choose another with PG_PORT`,
    );
    noStack(output);
  }, 90_000);

  it('UPSTREAM_PORT already taken', async () => {
    const { code, output } = await runToEnd(await ownStackEnv(dataDir, { UPSTREAM_PORT: String(held.port) }));
    expect(code).toBe(1);
    expect(output).toContain(`upstream: port ${held.port} is already in use; choose another with UPSTREAM_PORT`);
    noStack(output);
  }, 90_000);
});
