import { expect, it } from 'vitest';
import { hasRedisServer, startRedis } from '../lib/redis-server.ts';

it('reports a redis-server binary that cannot be started as an error, without ending the process', async () => {
  // Without a listener for the spawn 'error' event, Node would end this whole process (the test
  // runner with it) instead of the promise rejecting.
  await expect(startRedis(10_000, '/nonexistent/redis-server')).rejects.toThrow(
    /redis-server could not be started: spawn \/nonexistent\/redis-server ENOENT/,
  );
});

// CI installs redis-server (.ci/run), so there a missing binary fails this test instead of skipping it.
it.skipIf(!hasRedisServer() && process.env['CI'] !== 'true')(
  'starts a real redis-server on a free loopback port and stops it',
  async () => {
    const redis = await startRedis();
    try {
      expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
      const { Redis } = await import('ioredis');
      const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await client.connect();
      expect(await client.ping()).toBe('PONG');
      client.disconnect();
    } finally {
      await redis.stop();
    }
  },
);
