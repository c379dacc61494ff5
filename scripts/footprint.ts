/**
 * `npm run footprint [-- TARBALL] [--cold]`: what adding looplab to a project costs — the time
 * `npm install <tarball>` takes in an empty project and the size of the `node_modules` it leaves, in full
 * and without the embedded PostgreSQL binaries (`--omit=optional`, for a user of `--target` and the preload
 * only). Without a tarball it builds and packs this repo first. `--cold` installs with an empty npm cache
 * (everything from the registry); by default npm's own cache is used, as on a developer's machine.
 * Sizes are exact (bytes, as `du --apparent-size` counts them, so the same tarball gives the same figures on
 * any file system). Timings depend on the machine, its load and the network: each is printed with the
 * 1-minute load average before and after it; publish them with the machine, the date and this command.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const cold = args.includes('--cold');
const given = args.find((arg) => !arg.startsWith('--'));
const scratch = mkdtempSync(join(tmpdir(), 'looplab-footprint-'));

const sh = (command: string, argv: string[], cwd: string) =>
  execFileSync(command, argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });

function tarball(): string {
  if (given) return resolve(given);
  sh('npm', ['run', '-s', 'build'], process.cwd());
  sh('npm', ['pack', '--ignore-scripts', '--pack-destination', scratch], process.cwd());
  const name = readdirSync(scratch).find((file) => file.endsWith('.tgz'));
  if (!name) throw new Error('npm pack wrote no tarball');
  return join(scratch, name);
}

/** Bytes under each path (apparent size: what the files hold, not the blocks they take). */
const BYTES = ['--apparent-size', '-sb'];

/** `12.34 MB (12 345 678 bytes)`. */
const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB (${bytes} bytes)`;

/** The machine's 1-minute load average and its cores, to read a timing by. */
const load = () => `load ${loadavg()[0]?.toFixed(2)} on ${availableParallelism()} cores`;

/** Bytes under `dir`, per entry of it. */
function sizes(dir: string): Map<string, number> {
  const lines = sh('du', [...BYTES, ...readdirSync(dir).map((entry) => join(dir, entry))], dir)
    .trim()
    .split('\n');
  return new Map(lines.map((line) => line.split('\t') as [string, string]).map(([kb, path]) => [path, Number(kb)]));
}

function measure(label: string, file: string, flags: string[]): void {
  const project = mkdtempSync(join(scratch, 'project-'));
  sh('npm', ['init', '-y'], project);
  const cache = cold ? ['--cache', mkdtempSync(join(scratch, 'cache-'))] : [];
  const loadBefore = load();
  const started = performance.now();
  sh('npm', ['install', '--no-audit', '--no-fund', ...cache, ...flags, file], project);
  const seconds = (performance.now() - started) / 1000;
  const modules = join(project, 'node_modules');
  const total = Number(sh('du', [...BYTES, modules], project).split('\t')[0]);
  const packages = readdirSync(modules).filter((name) => !name.startsWith('.')).length;
  const scoped = [...sizes(modules)].flatMap(([path, bytes]) =>
    path.split('/').pop()?.startsWith('@') ? [...sizes(path)] : [[path, bytes] as const],
  );
  const largest = scoped
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([path, bytes]) => `${path.slice(modules.length + 1)} ${(bytes / 1e6).toFixed(2)} MB`);
  console.log(
    `${label}: npm install ${[...flags, '<tarball>'].join(' ')} took ${seconds.toFixed(1)} s (${cold ? 'empty cache' : "npm's cache"}; ${loadBefore} before, ${load()} after); ` +
      `node_modules ${megabytes(total)}, ${packages} top-level entries; largest: ${largest.join(', ')}`,
  );
}

try {
  const file = tarball();
  console.log(`tarball: ${file.split('/').pop()} ${megabytes(statSync(file).size)}`);
  measure('full (serve with its embedded PostgreSQL)', file, []);
  measure('without the PostgreSQL binaries (--target and the preload)', file, ['--omit=optional']);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
