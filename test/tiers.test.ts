import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { TIERS } from './tiers.ts';

/** Every test file under test/, found on disk rather than by the config's own globs. */
async function testFiles(dir = 'test'): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await testFiles(path)));
    else if (entry.name.endsWith('.test.ts')) found.push(path);
  }
  return found.sort();
}

it('puts every test file in exactly one tier, so none is left out of every run', async () => {
  const listed = Object.entries(TIERS).flatMap(([tier, files]) => files.map((file) => ({ tier, file })));
  const tiersOf = (file: string) => listed.filter((l) => l.file === file).map((l) => l.tier);
  const files = await testFiles();
  expect(files.length).toBeGreaterThan(0);
  expect(files.map((file) => ({ file, tiers: tiersOf(file) }))).toEqual(
    files.map((file) => ({ file, tiers: [expect.any(String)] })),
  );
  // And no tier names a file that is not there (a file moved or renamed, its old name left behind).
  expect(listed.map((l) => l.file).filter((file) => !files.includes(file))).toEqual([]);
});
