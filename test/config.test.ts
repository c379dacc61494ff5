import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/config.ts';

describe('loadConfig', () => {
  it('has sensible defaults with an empty environment', () => {
    const config = loadConfig({}, '/repo');
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      upstreamUrl: undefined,
      embeddedPgPort: 5433,
      embeddedPgDataDir: '/repo/.looplab/postgres',
      cluster: 1,
      dbPool: 10,
      workerConcurrency: 1,
      workerDbPool: 4,
    });
    expect(config.workers).toBeGreaterThanOrEqual(1);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '0',
        HOST: '0.0.0.0',
        DATABASE_URL: 'postgres://u:p@db:5432/x',
        UPSTREAM_URL: 'http://up:8080/base/',
        DB_POOL: '3',
        WORKERS: '5',
        WORKER_CONCURRENCY: '3',
        WORKER_DB_POOL: '2',
        PG_PORT: '6000',
        PG_DATA_DIR: '/d',
        UPSTREAM_PORT: '0',
        WORKLOADS: './a.ts, /abs/b.ts',
      },
      '/repo',
    );
    expect(config).toEqual({
      port: 0,
      host: '0.0.0.0',
      databaseUrl: 'postgres://u:p@db:5432/x',
      upstreamUrl: 'http://up:8080/base',
      embeddedPgPort: 6000,
      embeddedPgDataDir: '/d',
      upstreamPort: 0,
      cluster: 1,
      dbPool: 3,
      workers: 5,
      workerConcurrency: 3,
      workerDbPool: 2,
      uvThreadpoolSize: 4,
      workerQueue: 80,
      dbQueue: 1000,
      upstreamTimeoutMs: 15_000,
      requestTimeoutMs: 30_000,
      shutdownGraceMs: 10_000,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5000,
      logLevel: 'info',
      shedLoopDelayMs: 0,
      workloadFiles: ['/repo/a.ts', '/abs/b.ts'],
      queue: {
        enabled: true,
        redisUrl: undefined,
        workers: 1,
        concurrency: 1,
        max: 16,
        keep: 1000,
        lockMs: 5000,
        stalledMs: 5000,
      },
      stallThresholdMs: 0,
      stallBlamePort: 0,
    });
  });

  it('resolves WORKLOADS against the directory npm was started in (INIT_CWD), when npm ran it elsewhere', () => {
    expect(loadConfig({ WORKLOADS: 'w.ts', INIT_CWD: '/home/me' }, '/repo').workloadFiles).toEqual(['/home/me/w.ts']);
    expect(loadConfig({}, '/repo').workloadFiles).toEqual([]);
  });

  it('shares the cores between cluster processes unless WORKERS is given, which is then per process', () => {
    const cpus = loadConfig({}).workers;
    expect(loadConfig({ CLUSTER: '2' }).workers).toBe(Math.max(1, Math.floor(cpus / 2)));
    expect(loadConfig({ CLUSTER: '64' }).workers).toBe(1);
    expect(loadConfig({ CLUSTER: '2', WORKERS: '3' })).toMatchObject({ cluster: 2, workers: 3, workerQueue: 48 });
  });

  it.each([
    [{ CLUSTER: '0' }, /^CLUSTER must be a whole number from 1 to 64, got 0$/],
    [{ CLUSTER: '65' }, /^CLUSTER must be a whole number from 1 to 64, got 65$/],
    [{ PORT: '70000' }, /^PORT must be a whole number from 0 to 65535, got 70000$/],
    [{ PORT: '3e3' }, /^PORT must be a whole number from 0 to 65535, got "3e3"$/],
    [{ DB_POOL: '0' }, /^DB_POOL must be a whole number from 1 to 100/],
    [{ WORKERS: 'many' }, /^WORKERS must be a whole number from 1 to 64/],
    [{ WORKER_CONCURRENCY: '0' }, /^WORKER_CONCURRENCY must be a whole number from 1 to 64, got 0$/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must use postgres: or postgresql:/],
    [{ UPSTREAM_URL: 'not a url' }, /^UPSTREAM_URL must be a URL/],
    [{ UPSTREAM_URL: 'file:///etc/passwd' }, /^UPSTREAM_URL must use http: or https:/],
    [{ QUEUE: 'maybe' }, /^QUEUE must be on or off, got "maybe"$/],
    [{ REDIS_URL: 'http://cache:6379' }, /^REDIS_URL must use redis: or rediss:, got http:$/],
    [{ QUEUE_WORKERS: '17' }, /^QUEUE_WORKERS must be a whole number from 0 to 16, got 17$/],
    [{ QUEUE_LOCK_MS: '500' }, /^QUEUE_LOCK_MS must be a whole number from 1000 to 600000, got 500$/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"$/],
    [{ REQUEST_TIMEOUT_MS: '50' }, /^REQUEST_TIMEOUT_MS must be a whole number from 100 to 300000, got 50$/],
    [
      { WORKLOADS: 'a.ts,,b.ts' },
      /^WORKLOADS must be a comma-separated list of file paths, got an empty entry in "a.ts,,b.ts"$/,
    ],
  ])('stops on %j naming the variable and what it allows', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
