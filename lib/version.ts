import { createRequire } from 'node:module';

/**
 * looplab's version, from its own package.json, found by the package's name (a package may import
 * itself through its `exports`), so the same line works in the repo and in the installed `dist/`.
 */
export const LOOPLAB_VERSION: string = (createRequire(import.meta.url)('looplab/package.json') as { version: string })
  .version;
