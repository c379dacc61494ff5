// synckit's worker entry, loaded with Node's own loader: tsx's require hook, then the TypeScript file
// (the same route as server/offload/*-boot.cjs; Node 20 ignores --import hooks in worker threads).
require('tsx/cjs');
require('./worker.ts');
