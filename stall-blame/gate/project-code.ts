import type { Culprit } from '../frames.ts';

/** The project's own code: a file on disk outside node_modules (Node's internals are `node:…`). */
export const isProjectCode = (culprit: Culprit | null): culprit is Culprit & { file: string } =>
  culprit?.file != null && !culprit.file.startsWith('node:') && !/(^|[\\/])node_modules[\\/]/.test(culprit.file);
