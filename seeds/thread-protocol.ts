import type { BatchItem } from './pool-work.ts';

/** What the seeds' piscina threads are given when they start. */
export interface ThreadSettings {
  upstreamUrl?: string;
}

/**
 * A task for a seeds thread: a chunk of items, or a barrier every thread must reach before any
 * returns — so that "the pool has started" means every thread has loaded its code and made its client.
 */
export type ThreadTask =
  | { kind: 'chunk'; items: BatchItem[] }
  | { kind: 'barrier'; counter: SharedArrayBuffer; parties: number };
