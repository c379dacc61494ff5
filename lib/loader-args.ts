/**
 * Node flags that let a child process load this project's TypeScript files. Children use Node's own
 * loader, not the parent's (vitest's), so each one gets `lib/typescript-loader.mjs`: Node's own type
 * stripping where it has it, tsx where not. The path is resolved here so it works whatever the current
 * directory is. (Worker threads go through the `*-boot.cjs` files instead: Node 20 ignores `--import`
 * hooks in workers.)
 */
export function typeScriptLoaderArgs(): string[] {
  return ['--import', new URL('./typescript-loader.mjs', import.meta.url).href];
}

/** Resolves a file next to the calling module, for `new Worker(...)`, piscina and `fork(...)`. */
export function siblingFile(importMetaUrl: string, name: string): URL {
  return new URL(name, importMetaUrl);
}
