import { fork } from 'node:child_process';
import { typeScriptLoaderArgs } from '../../lib/loader-args.ts';

/** What a proxy saw since it started or since `resetStats`. */
export interface ProxyStats {
  /** Connections accepted, whatever the proxy then did with them. */
  readonly accepted: number;
  /** Calls the clients made: each time a connection went from idle to awaiting an answer. */
  readonly calls: number;
  /** Connections whose client has sent bytes the target has not answered yet: calls in flight. */
  readonly awaiting: number;
  /** The most calls in flight at once. */
  readonly peakAwaiting: number;
  /** Connections the client closed while its call was still unanswered: abandoned calls. */
  readonly closedAwaiting: number;
}

/**
 * A TCP proxy in front of a real server, so a test can take a dependency away (`cut`) and give it
 * back (`restore`) without stopping the server the other tests share, and count what passes through.
 * It runs in a child process (test/fixtures/tcp-proxy-process.ts) so that a blocked test thread
 * cannot stall it.
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
  /** Accepts connections and resets them at once (RST): refused, but each attempt is counted. */
  reset(): Promise<void>;
  stats(): Promise<ProxyStats>;
  /** Zeroes the counters; the peak restarts from the calls in flight now. */
  resetStats(): Promise<void>;
  close(): Promise<void>;
}

type Command = 'cut' | 'restore' | 'stall' | 'hangup' | 'reset' | 'stats' | 'resetStats';
interface Reply {
  id: number;
  port: number;
  stats: ProxyStats;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const child = fork(new URL('../fixtures/tcp-proxy-process.ts', import.meta.url), [targetHost, String(targetPort)], {
    execArgv: typeScriptLoaderArgs(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const replies = new Map<number, (reply: Reply) => void>();
  child.on('message', (msg: Reply) => replies.get(msg.id)?.(msg));
  const request = (cmd?: Command) =>
    new Promise<Reply>((resolve) => {
      const id = cmd ? nextId++ : 0;
      replies.set(id, resolve);
      if (cmd) child.send({ id, cmd });
    });
  const { port } = await request();
  return {
    port,
    cut: async () => void (await request('cut')),
    restore: async () => void (await request('restore')),
    stall: async () => void (await request('stall')),
    hangup: async () => void (await request('hangup')),
    reset: async () => void (await request('reset')),
    stats: async () => ({ ...(await request('stats')).stats }),
    resetStats: async () => void (await request('resetStats')),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}

/** A proxy in front of the run's database, and the database URL that goes through it. */
export async function proxiedDatabase(databaseUrl: string): Promise<{ proxy: TcpProxy; url: string }> {
  const url = new URL(databaseUrl);
  const proxy = await startTcpProxy(url.hostname, Number(url.port));
  url.port = String(proxy.port);
  return { proxy, url: url.href };
}

/** A proxy in front of the run's upstream, and the upstream URL that goes through it. */
export async function proxiedUpstream(upstreamUrl: string): Promise<{ proxy: TcpProxy; url: string }> {
  const url = new URL(upstreamUrl);
  const proxy = await startTcpProxy(url.hostname, Number(url.port));
  return { proxy, url: `http://127.0.0.1:${proxy.port}` };
}
