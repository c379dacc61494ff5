import { startEmbeddedPostgres } from '../../db/embedded.ts';
import { migrate } from '../../db/migrate.ts';
import { startUpstream } from '../../upstream/launch.ts';
import type { Config } from '../config.ts';
import type { StopSteps } from './stop-steps.ts';

export interface DependencyUrls {
  databaseUrl: string;
  upstreamUrl: string;
}

/**
 * Starts the embedded PostgreSQL and the bundled upstream unless the config names existing ones, and
 * migrates the database. Each started process is pushed onto `steps`, so it is stopped after whatever
 * is pushed later (the servers that use it).
 */
export async function startDependencies(config: Config, steps: StopSteps): Promise<DependencyUrls> {
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    console.log(
      `looplab: starting embedded PostgreSQL on port ${config.embeddedPgPort} (data in ${config.embeddedPgDataDir})`,
    );
    const pg = await startEmbeddedPostgres({ port: config.embeddedPgPort, dataDir: config.embeddedPgDataDir });
    steps.push('embedded PostgreSQL', () => pg.stop());
    databaseUrl = pg.url;
  }
  let upstreamUrl = config.upstreamUrl;
  if (!upstreamUrl) {
    const upstream = await startUpstream(config.upstreamPort, config.host);
    steps.push('upstream', () => upstream.stop());
    upstreamUrl = upstream.url;
  }
  await migrate(databaseUrl);
  return { databaseUrl, upstreamUrl };
}
