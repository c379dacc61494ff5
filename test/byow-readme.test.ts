import { execFile } from 'node:child_process';
import { readdir, readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { descendants, killLeftoversAfterEach, startLooplab, waitForExit } from './helpers/processes.ts';
import { waitFor } from './helpers/wait-for.ts';

/** The guide that the README links to for one's own workload: the steps below are its steps. */
const GUIDE = 'docs/guide/own-workload.md';

/** The workload file exactly as the guide writes it. */
async function readmeWorkload(): Promise<string> {
  const guide = await readFile(GUIDE, 'utf8');
  const match = /cat > my-work\.ts <<'TS'\n([\s\S]*?)\nTS\n/.exec(guide);
  if (!match?.[1]) throw new Error(`${GUIDE} no longer writes my-work.ts with a heredoc`);
  return `${match[1]}\n`;
}

let dir = '';
const keepTrack = killLeftoversAfterEach();
// The run's database and upstream, as a user with DATABASE_URL / UPSTREAM_URL set would: the steps
// are the guide's, without starting a second embedded PostgreSQL.
const env = () => ({ DATABASE_URL: inject('databaseUrl'), UPSTREAM_URL: inject('upstreamUrl'), LOG_LEVEL: 'warn' });
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'looplab-byow-'));
  await writeFile(join(dir, 'my-work.ts'), await readmeWorkload());
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the own-workload guide's steps, from a directory outside the repository", () => {
  it('serves the workload in its modes with WORKLOADS=./my-work.ts npm --prefix <repo> start', async () => {
    const server = await startLooplab(
      'npm',
      ['--prefix', process.cwd(), 'start'],
      { ...env(), WORKLOADS: './my-work.ts', PORT: '0' },
      dir,
    );
    const tree = [server.child.pid ?? -1, ...(await descendants(server.child.pid ?? -1))];
    keepTrack(tree);
    try {
      await waitFor(
        'the server to be ready',
        async () => ((await fetch(`${server.url}/ready`)).status === 200 ? true : undefined),
        60_000,
        100,
      );
      const blocking = (await (await fetch(`${server.url}/my-work/blocking?kb=256`)).json()) as {
        digest: string;
        mode: string;
      };
      const worker = (await (await fetch(`${server.url}/my-work/worker?kb=256`)).json()) as {
        digest: string;
        mode: string;
      };
      expect(blocking.digest).toMatch(/^[0-9a-f]{64}$/);
      expect(worker).toEqual({ ...blocking, mode: 'worker', durationMs: expect.any(Number) });
      const async = await fetch(`${server.url}/my-work/async`);
      expect(async.status).toBe(404);
      expect(await async.json()).toEqual({
        error: 'workload my-work has no async mode',
        modes: ['blocking', 'worker', 'queue'],
      }); // npm start has queue mode on
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      expect(await waitForExit(tree)).toEqual([]);
    }
  }, 120_000);

  it('runs the matrix for it with npm --prefix <repo> run loadtest -- --workload-file ./my-work.ts, with bounds, verdicts and the reports', async () => {
    const out = join(dir, 'results');
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        'npm',
        [
          '--prefix',
          process.cwd(),
          'run',
          'loadtest',
          '--',
          '--workload-file',
          './my-work.ts',
          '--duration',
          '1',
          '--warmup',
          '0',
          '--connections',
          '4',
          '--out',
          out,
        ],
        { cwd: dir, env: { ...process.env, ...env() }, timeout: 240_000 },
        (err, so, se) =>
          resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout: so, stderr: se }),
      );
    });
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('my-work — c=4 — kb=1024&rounds=200');
    expect(stdout).toMatch(/→ my-work \(c=4\): worker serves/);
    const [run] = await readdir(out);
    const results = JSON.parse(await readFile(join(out, run ?? '', 'results.json'), 'utf8')) as {
      scenarios: Array<{ scenario: { path: string }; bound: { basis: string } | null }>;
      cpuBaseline: Record<string, unknown>;
    };
    expect(results.scenarios.map((s) => s.scenario.path)).toEqual([
      '/my-work/blocking?kb=1024&rounds=200',
      '/my-work/worker?kb=1024&rounds=200',
    ]);
    expect(results.cpuBaseline['my-work']).toMatchObject({ samples: 12 });
    expect(results.scenarios[0]?.bound?.basis).toMatch(/^single-thread rate [\d.]+\/s × the event-loop thread$/);
    const html = await readFile(join(out, run ?? '', 'report.html'), 'utf8');
    expect(html).toMatch(/my-work\/worker/);
  }, 300_000);
});
