import { existsSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

interface LockEntry {
  hasInstallScript?: boolean;
}

/**
 * npm 11 warns at the end of `npm ci` about every installed dependency whose install script has no entry
 * in `allowScripts` (and npm 12 skips those scripts): each one installed here needs a decision, `true` to
 * run it or `false` to say it is not needed (why: docs/guide/your-project.md, "Install scripts"). Other
 * platforms' packages (the embedded PostgreSQL for macOS, …) are not installed here and not checked.
 */
it('has an allowScripts decision for every installed dependency with an install script', () => {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> };
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { allowScripts?: Record<string, boolean> };
  const withScripts = Object.entries(lock.packages)
    .filter(([path, entry]) => entry.hasInstallScript && path !== '' && existsSync(path))
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
  expect(withScripts.length).toBeGreaterThan(0);
  const undecided = withScripts.filter((name) => typeof manifest.allowScripts?.[name] !== 'boolean');
  expect(undecided).toEqual([]);
});
