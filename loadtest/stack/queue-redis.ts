import { hasRedisServer, startRedis, type RedisServer } from '../../lib/redis-server.ts';

/** The Redis that a run's Redis-backend servers share, and how to be done with it. */
export interface RunRedis {
  url(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * `given` (REDIS_URL, like DATABASE_URL for the database: used, never stopped), or a redis-server on a
 * free loopback port, started at first need (a run without Redis scenarios starts none) and stopped
 * with the rest of the stack.
 */
export function runRedis(given: string | undefined): RunRedis {
  let started: Promise<RedisServer> | undefined;
  return {
    async url() {
      if (given) return given;
      started ??= hasRedisServer()
        ? startRedis()
        : Promise.reject(
            new Error(
              'queue backend redis: redis-server is not installed (Debian: apt-get install redis-server), and REDIS_URL is not set',
            ),
          );
      return (await started).url;
    },
    async stop() {
      const server = await started?.catch(() => undefined);
      await server?.stop();
    },
  };
}
