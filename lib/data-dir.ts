import { resolve } from 'node:path';

/**
 * Where looplab keeps what it makes between runs (the embedded PostgreSQL's data): `.looplab/` in the
 * directory it was started in — the repo for `npm start`, the user's project for `npx looplab`, never
 * inside `node_modules`. A user adds it to `.gitignore`; `npm run clean` removes it.
 */
export const DATA_DIR = '.looplab';

/** A path under {@link DATA_DIR} of the current directory. */
export const dataPath = (...parts: string[]): string => resolve(DATA_DIR, ...parts);
