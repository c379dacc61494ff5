/**
 * `npm start`: the only file that reads the environment; it hands the config to one server process
 * (`single.ts`) or, with CLUSTER above 1, to the primary that supervises that many (`cluster/`).
 * Whatever is started is stopped, in reverse order.
 */
import { runPrimary } from './cluster/primary.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { runSingle } from './lifecycle/single.ts';
import { loadWorkloadsOrExit } from './workloads/load.ts';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`looplab: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
}

const config = readConfig();
// Before anything is started, so a bad workload file leaves nothing running. The primary loads them
// only to refuse a bad file early: each of its server processes loads its own.
const workloads = await loadWorkloadsOrExit(config.workloadFiles);
await (config.cluster > 1 ? runPrimary(config) : runSingle(config, workloads));
