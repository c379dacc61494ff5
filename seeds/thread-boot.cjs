// Entry file of each seeds worker thread; a CommonJS file for the reason server/offload/worker-boot.cjs gives.
require('../lib/typescript-hook.cjs');
module.exports = require('./thread-task.ts');
