// Entry file of each piscina worker: a CommonJS file, so that it can load the TypeScript entry the same
// way on every supported Node (see lib/typescript-hook.cjs).
require('../../lib/typescript-hook.cjs');
module.exports = require('./worker.ts');
