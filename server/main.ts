/**
 * `npm start`: the only file that reads the environment; it hands the config to one server process
 * (`single.ts`) or, with CLUSTER above 1, to the primary that supervises that many (`cluster/`).
 * Whatever is started is stopped, in reverse order.
 */
import { runPrimary } from './cluster/primary.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { runSingle } from './single.ts';

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
await (config.cluster > 1 ? runPrimary(config) : runSingle(config));
