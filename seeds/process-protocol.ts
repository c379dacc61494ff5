import type { BatchItem } from './pool-work.ts';

/** Parent → child: a chunk to run. */
export interface ChunkMessage {
  id: number;
  items: BatchItem[];
}

/** Child → parent: `ready` once its code is loaded and its client made, then one answer per chunk. */
export type ChildMessage =
  | { type: 'ready' }
  | { type: 'done'; id: number; total: number }
  | { type: 'failed'; id: number; message: string };

/** The environment variable that hands a child the upstream URL. */
export const UPSTREAM_URL_VARIABLE = 'SEEDS_UPSTREAM_URL';
