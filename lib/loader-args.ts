import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Node flags that let a child process load this project's TypeScript files. Children use Node's own
 * loader, not the parent's (vitest's or tsx's), so each one registers tsx itself. The path is
 * resolved here so it works whatever the current directory is. (Worker threads go through the
 * `*-boot.cjs` files instead: Node 20 ignores `--import` hooks in workers.)
 */
export function typeScriptLoaderArgs(): string[] {
  const tsxEntry = createRequire(import.meta.url).resolve('tsx');
  return ['--import', pathToFileURL(tsxEntry).href];
}

/** Resolves a file next to the calling module, for `new Worker(...)`, piscina and `fork(...)`. */
export function siblingFile(importMetaUrl: string, name: string): URL {
  return new URL(name, importMetaUrl);
}
