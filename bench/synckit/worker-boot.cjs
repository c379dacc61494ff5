// synckit's worker entry, loaded with Node's own loader (the same route as server/offload/*-boot.cjs).
require('../../lib/typescript-hook.cjs');
require('./worker.ts');
