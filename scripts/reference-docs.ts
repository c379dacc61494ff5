/**
 * `npm run docs:reference`: writes every generated reference page (scripts/reference/pages.ts) from its
 * spec. With `--check` it writes nothing and exits 1 naming each page that differs from its spec.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REFERENCE_PAGES } from './reference/pages.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
let stale = 0;
for (const page of REFERENCE_PAGES) {
  const file = resolve(root, page.path);
  const text = page.render();
  if (check) {
    const committed = await readFile(file, 'utf8').catch(() => '');
    if (committed !== text) {
      stale++;
      console.error(`${page.path} differs from its spec; run npm run docs:reference`);
    }
    continue;
  }
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
  console.log(`wrote ${page.path}`);
}
process.exitCode = stale > 0 ? 1 : 0;
