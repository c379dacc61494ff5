/**
 * `npm run build` (run by `prepack`): the compiled package in `dist/`, from the same sources the repo
 * runs. Node refuses to strip types under `node_modules`, so what a user installs is JavaScript plus
 * declarations:
 *   - `tsc -p tsconfig.build.json` writes `.js` and `.d.ts`, its imports rewritten from `./x.ts` to
 *     `./x.js` (`rewriteRelativeImportExtensions`);
 *   - the files tsc does not write are copied: the SQL the database is set up with, and the CommonJS
 *     entries of the worker threads, which in the repo load TypeScript through `lib/typescript-hook.cjs`
 *     and in the package load the compiled sibling with no hook at all.
 * Files started by path from TypeScript (`siblingFile`) find their `.js` sibling by themselves.
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'dist');
const { include } = JSON.parse(await readFile(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] };

/** The TypeScript-loader lines of a worker entry: the package needs none (and ships no tsx). */
const LOADER_LINE = /^require\('[./]*lib\/typescript-hook\.cjs'\);\n/m;

async function* filesUnder(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

/** A worker thread's CommonJS entry, pointed at the compiled files. */
function compiledBoot(source: string): string {
  return source.replace(LOADER_LINE, '').replace(/require\('(\.{1,2}\/[^']+)\.ts'\)/g, "require('$1.js')");
}

async function copyOthers(): Promise<number> {
  let copied = 0;
  // Folders only: a file named in `include` is TypeScript, which tsc has written.
  const folders = include.filter((top) => !top.endsWith('.ts'));
  for (const top of folders) {
    for await (const file of filesUnder(join(ROOT, top))) {
      const target = join(OUT, relative(ROOT, file));
      if (file.endsWith('.sql')) {
        await mkdir(dirname(target), { recursive: true });
        await copyFile(file, target);
        copied++;
      } else if (file.endsWith('-boot.cjs')) {
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, compiledBoot(await readFile(file, 'utf8')));
        copied++;
      }
    }
  }
  return copied;
}

await rm(OUT, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) {
  console.error('build: tsc failed (see above)');
  process.exit(1);
}
const copied = await copyOthers();
console.log(`build: dist/ written (tsc, and ${copied} files copied: SQL and worker entries)`);
