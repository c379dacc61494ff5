// Entry file of the sync-I/O helper thread; see worker-boot.cjs for why it is a CommonJS file.
require('../../lib/typescript-hook.cjs');
require('./sync-io-thread.ts');
