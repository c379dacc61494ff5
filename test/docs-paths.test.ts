import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownFiles, read } from './helpers/markdown-docs.ts';

/** The repository's top-level folders: a code span starting with one of them names a path in the repo. */
const ROOTS = readdirSync('.', { withFileTypes: true })
  .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules' && e.name !== 'results')
  .map((e) => e.name);

/**
 * The repository paths a page names: every whitespace-separated word of a code span or a code block that
 * starts with a top-level folder and a `/` (`./` allowed), with a trailing `:line` and punctuation taken off.
 * Placeholders (`<name>`, `…`) end the path where they start.
 */
function repoPaths(markdown: string, roots: readonly string[] = ROOTS): string[] {
  const code = [...markdown.matchAll(/```[^\n]*\n([\s\S]*?)```|`([^`\n]+)`/g)].map((m) => m[1] ?? m[2] ?? '');
  const words = code.flatMap((c) => c.split(/[\s"'(),;=]+/));
  const paths = words
    .map((w) => w.replace(/^\.\//, '').replace(/:\d+$/, ''))
    .filter((w) => roots.some((r) => w.startsWith(`${r}/`)))
    .map((w) => w.replace(/[<…].*$/, '').replace(/[.,:]+$/, ''));
  return [...new Set(paths)];
}

/** Whether a path exists; a `*` in its last segment matches any run of characters. */
function exists(path: string): boolean {
  if (!path.includes('*')) return existsSync(path);
  const dir = dirname(path);
  const pattern = new RegExp(
    `^${path
      .slice(dir.length + 1)
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')}$`,
  );
  return existsSync(dir) && readdirSync(dir).some((name) => pattern.test(name));
}

describe('the repository paths the documentation names', () => {
  it('all exist', () => {
    // A lab note names files as they were at its commit, so it is left out: it is history, not a map.
    const missing = markdownFiles()
      .filter((f) => !f.startsWith('examples/') && !f.startsWith('docs/lab-notes/'))
      .flatMap((file) =>
        repoPaths(read(file))
          .filter((p) => !exists(join('.', p)))
          .map((p) => `${file}: ${p}`),
      );
    expect(missing).toEqual([]);
  });

  it('finds paths in spans and blocks, and leaves other code alone', () => {
    const page = [
      'see `server/app.ts`, `./stall-blame/preload.ts`, `server/workloads/hash-digests.ts:18` and `npm start`,',
      '`results/<timestamp>/` and `crypto.pbkdf2`; ```sh\nnode --import tsx bench/profile-summary.ts x\n```',
    ].join('\n');
    expect(repoPaths(page, ['server', 'stall-blame', 'bench'])).toEqual([
      'server/app.ts',
      'stall-blame/preload.ts',
      'server/workloads/hash-digests.ts',
      'bench/profile-summary.ts',
    ]);
    expect(exists('server/offload/*-boot.cjs')).toBe(true);
    expect(exists('server/no-such-file.ts')).toBe(false);
  });
});
