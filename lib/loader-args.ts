/**
 * Whether this file runs from the compiled package (`dist/…/*.js`, what `npm install looplab` ships)
 * rather than from the repository's TypeScript sources. The two layouts are the same tree with one
 * extension swapped, so every file a module starts by path is its sibling either way.
 */
const COMPILED = import.meta.url.endsWith('.js');

/**
 * Node flags that let a child process load this project's TypeScript files. Children use Node's own
 * loader, not the parent's (vitest's), so each one gets `lib/typescript-loader.mjs`: Node's own type
 * stripping where it has it, tsx where not. The path is resolved here so it works whatever the current
 * directory is. (Worker threads go through the `*-boot.cjs` files instead: Node 20 ignores `--import`
 * hooks in workers.) The compiled package needs no loader at all, so it gets none: Node refuses to strip
 * types under `node_modules`, and a user's project has no tsx.
 */
export function typeScriptLoaderArgs(): string[] {
  return COMPILED ? [] : ['--import', new URL('./typescript-loader.mjs', import.meta.url).href];
}

/**
 * Resolves a file next to the calling module, for `new Worker(...)`, piscina and `fork(...)`. Name it by
 * its source (`./worker-main.ts`): in the compiled package the same call finds `./worker-main.js`.
 */
export function siblingFile(importMetaUrl: string, name: string): URL {
  const compiled = importMetaUrl.endsWith('.js') && name.endsWith('.ts');
  return new URL(compiled ? `${name.slice(0, -3)}.js` : name, importMetaUrl);
}
