import type { SourceMap } from 'node:module';

/** A place to look for a file's source map besides Node's own cache (which holds maps only of what Node's loader loaded). */
type SourceMapFinder = (path: string) => SourceMap | undefined;

const finders: SourceMapFinder[] = [];

/**
 * Adds a finder: a test runner that evaluates transformed code itself (vitest's module runner, through
 * `vm`) keeps the source maps where Node does not see them, and without them a culprit's line would be
 * the transformed code's.
 */
export function addSourceMapFinder(finder: SourceMapFinder): void {
  if (!finders.includes(finder)) finders.push(finder);
}

/** The first finder's map of `path`, or undefined. */
export function findOtherSourceMap(path: string): SourceMap | undefined {
  for (const finder of finders) {
    const map = finder(path);
    if (map) return map;
  }
  return undefined;
}
