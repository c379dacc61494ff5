// Entry file of each piscina worker. Node 20 does not apply ESM loader hooks (`--import tsx`) inside
// worker threads (nodejs/node#47747), so the TypeScript entry is loaded through tsx's require hook,
// which works in every thread on every supported Node version.
require('tsx/cjs');
module.exports = require('./worker.ts');
