import { get, type ClientRequest } from 'node:http';
import { commandOf, descendants } from './process-tree.ts';

/** The server processes a cluster primary forked (not its PostgreSQL or upstream). */
export const serverProcesses = (primary: number) =>
  descendants(primary).filter((pid) => commandOf(pid).includes('cluster/process-main.ts'));

/**
 * GET on a connection of its own (`agent: false`): node:cluster hands each new connection to the
 * next process in turn, so a run of these reaches every process.
 */
export function getOnNewConnection(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // The timeout is a hang guard only: a lost connection fails the test instead of stalling it.
    get(url, { agent: false, timeout: 15_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    })
      .on('timeout', function onTimeout(this: ClientRequest) {
        this.destroy(new Error(`no answer from ${url} within 15 s`));
      })
      .on('error', reject);
  });
}
