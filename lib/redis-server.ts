import { spawn, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.ts';

export interface RedisServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** Whether Debian's redis-server is installed (`.ci/run` installs it). */
export const hasRedisServer = () => spawnSync('redis-server', ['--version']).status === 0;

/**
 * A real redis-server on a free loopback port, in memory only (no RDB or AOF files), for the queue
 * tests and `npm run bench:queue`. Nothing else on the machine uses it.
 */
export async function startRedis(startTimeoutMs = 30_000, binary = 'redis-server'): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // A binary that cannot be started (not installed, not executable) is reported here, not by an
  // 'error' event nobody listens to, which would end the whole process.
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const giveUpAt = performance.now() + startTimeoutMs;
  while (!output.includes('Ready to accept connections')) {
    if (spawnError) throw new Error(`redis-server could not be started: ${spawnError.message}`);
    if (child.exitCode !== null || performance.now() > giveUpAt) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start:\n${output}`);
    }
    await sleep(50);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
