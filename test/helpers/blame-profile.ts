import type { Profiler } from 'node:inspector';

const frame = (functionName: string, url = '', lineNumber = -1) => ({
  functionName,
  scriptId: '0',
  url,
  lineNumber,
  columnNumber: 0,
});

/**
 * A fixed profile for hand-computed attribution: root → handler (user, /srv/app.js line 10) → pbkdf2Sync
 * (node) → run (native); root → (garbage collector); root → (idle). Samples at 2 000 (idle, until 3 000),
 * 3 000 (native, 97 ms until the next), 100 000 (GC, until 110 000), 110 000 (idle, to the end at 200 000).
 */
export const FIXED_PROFILE: Profiler.Profile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 5, 6] },
    { id: 2, callFrame: frame('handler', '/srv/app.js', 9), children: [3] },
    { id: 3, callFrame: frame('pbkdf2Sync', 'node:internal/crypto/pbkdf2', 40), children: [4] },
    { id: 4, callFrame: frame('run') },
    { id: 5, callFrame: frame('(garbage collector)') },
    { id: 6, callFrame: frame('(idle)') },
  ],
  startTime: 1_000,
  endTime: 200_000,
  samples: [6, 4, 5, 6],
  timeDeltas: [1_000, 1_000, 97_000, 10_000],
};
