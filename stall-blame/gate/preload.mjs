// `node --import looplab/stall-gate`: the stall gate's entry (stall-blame/gate/preload.ts does the work).
// Plain JavaScript so that a thread that cannot load TypeScript skips the gate instead of failing: on
// Node before 22.18 the main thread loads it through tsx (lib/typescript-loader.mjs, imported first), but
// tsx's hooks do not reach worker threads, which are then left unwatched rather than broken.
import { isMainThread } from 'node:worker_threads';

if (process.features.typescript || isMainThread) await import('./preload.ts');
