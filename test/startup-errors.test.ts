import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../lib/free-port.ts';
import { typeScriptLoaderArgs } from '../lib/loader-args.ts';
import { descendants, startLooplab, waitForExit } from './helpers/processes.ts';

/** Runs `server/main.ts` to its end and returns its exit code and everything it printed. */
function startExpectingFailure(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...typeScriptLoaderArgs(), 'server/main.ts'],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, output: stdout + stderr });
      },
    );
  });
}

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
    const { code, output } = await startExpectingFailure({
      PORT: String(held.port),
      UPSTREAM_PORT: '0',
      PG_PORT: String(await freePort()),
      PG_DATA_DIR: dataDir,
      DATABASE_URL: '',
      UPSTREAM_URL: '',
    });
    expect(code).toBe(1);
    expect(output).toContain(
      `looplab: port ${held.port} is already in use; choose another with PORT (PORT=0 picks any free port)`,
    );
    noStack(output);
    // The PostgreSQL it had started was stopped again: it no longer holds its data directory.
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
  }, 90_000);

  it('PG_PORT already taken', async () => {
    const { code, output } = await startExpectingFailure({
      PORT: '0',
      UPSTREAM_PORT: '0',
      PG_PORT: String(held.port),
      PG_DATA_DIR: dataDir,
      DATABASE_URL: '',
      UPSTREAM_URL: '',
    });
    expect(code).toBe(1);
    expect(output).toContain(
      `port ${held.port} is already in use, so the embedded PostgreSQL cannot listen on it; choose another with PG_PORT`,
    );
    noStack(output);
  }, 90_000);

  it('UPSTREAM_PORT already taken', async () => {
    const { code, output } = await startExpectingFailure({
      PORT: '0',
      UPSTREAM_PORT: String(held.port),
      PG_PORT: String(await freePort()),
      PG_DATA_DIR: dataDir,
      DATABASE_URL: '',
      UPSTREAM_URL: '',
    });
    expect(code).toBe(1);
    expect(output).toContain(`upstream: port ${held.port} is already in use; choose another with UPSTREAM_PORT`);
    noStack(output);
  }, 90_000);

  it('a second looplab on the same data directory', async () => {
    const first = await startLooplab(process.execPath, [...typeScriptLoaderArgs(), 'server/main.ts'], {
      PORT: '0',
      UPSTREAM_PORT: '0',
      PG_PORT: String(await freePort()),
      PG_DATA_DIR: dataDir,
      DATABASE_URL: '',
      UPSTREAM_URL: '',
    });
    const tree = await descendants(first.child.pid ?? -1);
    try {
      const { code, output } = await startExpectingFailure({
        PORT: '0',
        UPSTREAM_PORT: '0',
        PG_PORT: String(await freePort()),
        PG_DATA_DIR: dataDir,
        DATABASE_URL: '',
        UPSTREAM_URL: '',
      });
      expect(code).toBe(1);
      expect(output).toMatch(
        new RegExp(
          `the PostgreSQL data directory ${dataDir} is in use by another PostgreSQL \\(pid \\d+\\), probably another looplab; stop it, or give this one its own PG_DATA_DIR and PG_PORT`,
        ),
      );
      noStack(output);
      // The first one is unharmed.
      expect((await fetch(`${first.url}/db/async`)).status).toBe(200);
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
      expect(await waitForExit(tree)).toEqual([]);
    }
  }, 120_000);
});
