import { siblingFile } from '../lib/loader-args.ts';
import { startChild, type ManagedChild } from '../lib/child-process.ts';

/** Starts the bundled upstream in a child process; `url` is its base URL. */
export function startUpstream(port: number, host: string): Promise<ManagedChild> {
  return startChild(siblingFile(import.meta.url, './main.ts'), 'upstream', { UPSTREAM_PORT: String(port), HOST: host });
}
