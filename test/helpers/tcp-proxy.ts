import { fork } from 'node:child_process';
import { typeScriptLoaderArgs } from '../../server/offload/loader-args.ts';

/**
 * A TCP proxy in front of a real server, so a test can take a dependency away (`cut`) and give it
 * back (`restore`) without stopping the server the other tests share. It runs in a child process
 * (test/fixtures/tcp-proxy-process.ts) so that a blocked test thread cannot stall it.
 */
export interface TcpProxy {
  readonly port: number;
  /** Stops listening and destroys every open connection, as a stopped server would. */
  cut(): Promise<void>;
  /** Listens again on the same port, forwarding normally. */
  restore(): Promise<void>;
  /** Accepts connections but never forwards a byte: a peer that hangs. */
  stall(): Promise<void>;
  /** Accepts connections and closes them at once. */
  hangup(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const child = fork(new URL('../fixtures/tcp-proxy-process.ts', import.meta.url), [targetHost, String(targetPort)], {
    execArgv: typeScriptLoaderArgs(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const replies = new Map<number, (port: number) => void>();
  child.on('message', (msg: { id: number; port: number }) => replies.get(msg.id)?.(msg.port));
  const request = (cmd?: 'cut' | 'restore' | 'stall' | 'hangup') =>
    new Promise<number>((resolve) => {
      const id = cmd ? nextId++ : 0;
      replies.set(id, resolve);
      if (cmd) child.send({ id, cmd });
    });
  const port = await request();
  return {
    port,
    cut: async () => void (await request('cut')),
    restore: async () => void (await request('restore')),
    stall: async () => void (await request('stall')),
    hangup: async () => void (await request('hangup')),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}
