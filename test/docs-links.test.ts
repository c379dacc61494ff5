import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchors, linkTargets, markdownFiles, read, slug } from './helpers/markdown-docs.ts';

type Link = { from: string; target: string };

/** A link inside the repository: its file (or directory) from the root, and its anchor if any. */
function resolveLink({ from, target }: Link): { path: string; anchor: string | undefined } {
  const [pathPart = '', anchor] = target.split('#', 2);
  const path = pathPart === '' ? from : normalize(join(dirname(from), decodeURIComponent(pathPart)));
  return { path: path.split('\\').join('/').replace(/\/$/, ''), anchor };
}

function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target);
}

/** Each internal link that leads nowhere, as `file: target (why)`. */
function brokenLinks(files: readonly string[]): string[] {
  const broken: string[] = [];
  for (const from of files) {
    for (const target of linkTargets(read(from))) {
      if (isExternal(target)) continue;
      const { path, anchor } = resolveLink({ from, target });
      if (!existsSync(path)) {
        broken.push(`${from}: ${target} (no such file)`);
        continue;
      }
      if (anchor === undefined) continue;
      if (statSync(path).isDirectory() || !path.endsWith('.md')) {
        broken.push(`${from}: ${target} (an anchor on a file that is not Markdown)`);
      } else if (!anchors(read(path)).has(anchor)) {
        broken.push(`${from}: ${target} (no heading gives #${anchor})`);
      }
    }
  }
  return broken;
}

/** The Markdown files reachable from `start` by following links (a link to a directory reaches its README.md). */
function reachableFrom(start: string): Set<string> {
  const seen = new Set<string>([start]);
  const queue = [start];
  for (let from = queue.shift(); from !== undefined; from = queue.shift()) {
    for (const target of linkTargets(read(from))) {
      if (isExternal(target)) continue;
      let { path } = resolveLink({ from, target });
      if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'README.md').split('\\').join('/');
      if (path.endsWith('.md') && existsSync(path) && !seen.has(path)) {
        seen.add(path);
        queue.push(path);
      }
    }
  }
  return seen;
}

describe('the documentation links', () => {
  const files = markdownFiles();

  it('keeps the README a front door: at most 200 lines', () => {
    expect(read('README.md').split('\n').length).toBeLessThanOrEqual(200);
  });

  it('reads the README, CONTRIBUTING, docs/ and the examples', () => {
    expect(files).toContain('README.md');
    expect(files.some((f) => f.startsWith('docs/'))).toBe(true);
    expect(files.some((f) => f.startsWith('examples/'))).toBe(true);
  });

  it('leads every internal link to a file that exists, and every anchor to a heading of that file', () => {
    expect(brokenLinks(files)).toEqual([]);
  });

  it('reaches every page under docs/ from the README, directly or through other pages', () => {
    const reached = reachableFrom('README.md');
    expect(files.filter((f) => f.startsWith('docs/') && !reached.has(f))).toEqual([]);
  });
});

describe("the anchor rules, on GitHub's examples", () => {
  it('slugs headings as GitHub does', () => {
    expect(slug('Cluster mode: `CLUSTER=N`')).toBe('cluster-mode-clustern');
    expect(slug('`results.json` (schema `looplab-loadtest/2`)')).toBe('resultsjson-schema-looplab-loadtest2');
    expect(slug('Overhead: `npm run bench`')).toBe('overhead-npm-run-bench');
    expect(slug('`WORKER_CONCURRENCY`: how much of the offload penalty')).toBe(
      'worker_concurrency-how-much-of-the-offload-penalty',
    );
    expect(slug('_Which code_ stalled, and **why**')).toBe('which-code-stalled-and-why');
    expect(slug('Load from more than one process')).toBe('load-from-more-than-one-process');
  });

  it('numbers repeated headings and ignores # lines inside code fences', () => {
    const page = '# A\n\n```sh\n# not a heading\n```\n\n## Limits\n\n### Limits\n';
    expect([...anchors(page)]).toEqual(['a', 'limits', 'limits-1']);
  });

  it('finds a broken anchor and a missing file, and no link inside code', () => {
    expect(linkTargets('see [x](#nowhere), `[y](#code)` and\n```\n[z](gone.md)\n```\n[w](a/b.md#c)')).toEqual([
      '#nowhere',
      'a/b.md#c',
    ]);
  });
});
