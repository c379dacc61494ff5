import { spawn } from 'node:child_process';
import { inject } from 'vitest';
import { typeScriptLoaderArgs } from '../../lib/loader-args.ts';
import { waitFor } from './wait-for.ts';

/** `server/main.ts` running in a process of its own, as `npm start` runs it. */
export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** Resolves when the process has exited, with its code or signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Starts `server/main.ts` against the run's database and upstream unless `env` says otherwise, and
 * resolves once it listens and `/ready` is 200. The test's own event loop stays free while the server
 * blocks its own, so a test can watch a blocked server from outside.
 */
export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...typeScriptLoaderArgs(), 'server/main.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      DATABASE_URL: inject('databaseUrl'),
      UPSTREAM_URL: inject('upstreamUrl'),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /looplab listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => reject(new Error(`server/main.ts exited before listening:\n${output}`)));
  });
  const server: ServerProcess = {
    url,
    pid: child.pid ?? -1,
    exited,
    output: () => output,
    kill: (signal = 'SIGKILL') => void child.kill(signal),
  };
  await waitFor(
    'the server to be ready',
    async () => ((await fetch(`${url}/ready`)).status === 200 ? true : undefined),
    60_000,
    100,
  );
  return server;
}
