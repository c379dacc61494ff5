import type { AddressInfo } from 'node:net';
import type { Config } from '../config.ts';

/** What `npm start` prints once everything listens: where, and a few lines to paste. */
export function printBanner({
  info,
  config,
  upstreamUrl,
  embeddedDb,
}: {
  info: AddressInfo;
  config: Config;
  upstreamUrl: string;
  embeddedDb: boolean;
}): void {
  const host = info.address === '0.0.0.0' || info.address === '::' ? 'localhost' : info.address;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`;
  const db = embeddedDb ? `embedded PostgreSQL on 127.0.0.1:${config.embeddedPgPort}` : 'PostgreSQL from DATABASE_URL';
  console.log(
    [
      '',
      `looplab listening on ${base}`,
      `  database: ${db}; async pool ${config.dbPool}, ${config.workers} workers × ${config.workerDbPool} ` +
        `connections${config.cluster > 1 ? `, in each of ${config.cluster} processes (node:cluster)` : ''}`,
      `  upstream: ${upstreamUrl}`,
      ...(config.queue.enabled
        ? [
            `  queue: BullMQ on ${config.queue.redisUrl ? 'Redis (REDIS_URL)' : 'PostgreSQL'}, ${config.queue.workers} ` +
              `worker processes × ${config.queue.concurrency} jobs`,
          ]
        : []),
      '',
      'Try:',
      `  curl ${base}/`,
      `  curl '${base}/hash/blocking?cost=100000'`,
      `  curl '${base}/fetch/async?delay=200&count=10'`,
      `  curl '${base}/db/worker?queries=20'`,
      `  curl '${base}/cpu/async?task=primes&n=1000000'`,
      ...(config.queue.enabled ? [`  curl '${base}/db/queue?queries=5'`] : []),
      '',
      'Ctrl-C stops the server and everything it started.',
      '',
    ].join('\n'),
  );
}
