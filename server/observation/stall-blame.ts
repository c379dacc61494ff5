import { blameUrl, serveBlame, startStallBlame } from '../../stall-blame/index.ts';
import type { Config } from '../config.ts';

/** Stall blame running in this process, and where its report is served. */
export interface RunningBlame {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * With STALL_THRESHOLD_MS set: profiles this (the event-loop) thread and serves the report on 127.0.0.1, on a
 * server of its own (`GET /`, `/mark`, `/?from=&to=`), never among the app's routes. Null when off.
 */
export async function startBlame(
  config: Pick<Config, 'stallThresholdMs' | 'stallBlamePort'>,
): Promise<RunningBlame | null> {
  if (config.stallThresholdMs === 0) return null;
  const blame = startStallBlame({ stallThresholdMs: config.stallThresholdMs });
  const server = await serveBlame(config.stallBlamePort, blame).catch(async (err: unknown) => {
    await blame.stop();
    throw err;
  });
  return {
    url: blameUrl(server),
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await blame.stop();
    },
  };
}
