import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layout's import rules (CONTRIBUTING.md, "Layout"), read from the source: every static and dynamic
 * import of a project file, as `from → to`. test/loadtest/library-imports.test.ts watches what the
 * harness library loads at run time; this covers every file, the command line and the fault drill too.
 */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mjs|cjs)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name).split('\\').join('/'));
}

/** The project files `file` imports (static, dynamic or re-export), as paths from the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)'(\.{1,2}\/[^']+)'/gm)].map(
    (m) => m[1] as string,
  );
  return specifiers.map((s) =>
    normalize(join(dirname(file), s))
      .split('\\')
      .join('/'),
  );
}

const edges = (dir: string) => sources(dir).flatMap((from) => importsOf(from).map((to) => `${from} → ${to}`));
const into = (folders: readonly string[]) => (edge: string) =>
  folders.some((f) => (edge.split(' → ')[1] as string).startsWith(`${f}/`));

describe('imports run one way', () => {
  it('no file under loadtest/ imports a server/ file (it starts the server by path)', () => {
    expect(edges('loadtest').filter(into(['server']))).toEqual([]);
  });

  it('contract/ imports only its own files', () => {
    expect(edges('contract').filter((e) => !(e.split(' → ')[1] as string).startsWith('contract/'))).toEqual([]);
  });

  it('lib/ imports none of the parts that use it', () => {
    const parts = ['server', 'loadtest', 'db', 'upstream', 'bench', 'cli', 'seeds', 'scripts'];
    expect(edges('lib').filter(into(parts))).toEqual([]);
  });

  it('db/ and upstream/ never import server/', () => {
    expect([...edges('db'), ...edges('upstream')].filter(into(['server']))).toEqual([]);
  });

  it('reads real imports: loadtest/ imports contract/ and lib/', () => {
    expect(edges('loadtest').filter(into(['contract'])).length).toBeGreaterThan(0);
    expect(edges('loadtest').filter(into(['lib'])).length).toBeGreaterThan(0);
  });
});

describe('the layout', () => {
  it('keeps six files or fewer at the server/ root: the rest is grouped by job in its folders', () => {
    const root = readdirSync('server', { withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.ts'));
    expect(root.length).toBeLessThanOrEqual(6);
  });
});
