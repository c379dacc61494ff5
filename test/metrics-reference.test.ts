import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

/** Every .ts file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/**
 * The Prometheus series looplab defines live in the code (each `name:` with its help text); the metrics
 * reference keeps a table of them for readers. This keeps the two from drifting: a series added, renamed
 * or removed in the code without its row fails here, and so does a row for a series that no longer exists.
 */
it('docs/reference/metrics.md lists exactly the looplab_* series the server defines', () => {
  const defined = new Set(
    sources('server').flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bname: '(looplab_[a-z_]+)'/g)].map((m) => m[1] as string),
    ),
  );
  const page = readFileSync('docs/reference/metrics.md', 'utf8');
  const documented = new Set([...page.matchAll(/^\| `(looplab_[a-z_]+)`/gm)].map((m) => m[1] as string));
  expect(defined.size).toBeGreaterThan(10);
  expect([...documented].sort()).toEqual([...defined].sort());
});
