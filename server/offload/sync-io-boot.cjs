// Entry file of the sync-I/O helper thread; see worker-boot.cjs for why it goes through tsx/cjs.
require('tsx/cjs');
require('./sync-io-thread.ts');
