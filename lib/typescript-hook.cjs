// Makes `require('./x.ts')` work in the thread that loads this file, for the worker threads'
// `*-boot.cjs` entries: the same choice as typescript-loader.mjs (see there for why esbuild is kept out
// of the server's path) — nothing on a Node that strips types itself (≥ 22.18; the pinned Node 24),
// tsx's require hook on older Node, the one route that works inside worker threads there (Node 20
// ignores `--import` hooks in workers, nodejs/node#47747).
if (!process.features.typescript) require('tsx/cjs');
