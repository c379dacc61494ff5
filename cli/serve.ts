/**
 * `looplab serve [--workload-file FILE]…`: `--workload-file` becomes WORKLOADS, the one way the server
 * reads its workload files (server/config.ts), before the server's module is loaded; its queue worker
 * processes inherit it from there. Given both, the command refuses rather than pick one.
 */
import { parseArgs } from 'node:util';
import { parseArgsConfig } from '../lib/flags.ts';
import { SERVE_FLAGS } from './serve-flags.ts';

const { values } = parseArgs({ args: process.argv.slice(2), options: parseArgsConfig(SERVE_FLAGS), strict: true });
const files = (values['workload-file'] as string[] | undefined) ?? [];
if (files.length > 0) {
  if (process.env['WORKLOADS']) {
    process.stderr.write(
      'looplab serve: --workload-file and WORKLOADS both name workload files; give one of them (looplab serve --help)\n',
    );
    process.exit(2);
  }
  process.env['WORKLOADS'] = files.join(',');
}
await import('../server/main.ts');
