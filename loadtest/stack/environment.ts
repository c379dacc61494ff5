import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import type { Environment, ServerFacts } from '../types.ts';
import { httpGet } from './http-get.ts';

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** What a reader needs to judge the numbers: this machine, this code, and the server's pool sizes. */
export function describeEnvironment(
  server: ServerFacts | null,
  serverStartedByHarness: boolean,
  startedAt: Date,
): Environment {
  const cpuList = cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cpus: cpuList.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    gitCommit: gitCommit(),
    startedAt: startedAt.toISOString(),
    server,
    serverStartedByHarness,
  };
}

/** Reads the server's self-description at `GET /`; null for a server that does not give one. */
export async function fetchServerFacts(origin: string): Promise<ServerFacts | null> {
  try {
    const res = await httpGet(`${origin}/`, 10_000);
    const body = (await res.json()) as { server?: ServerFacts };
    return body.server ?? null;
  } catch {
    return null;
  }
}
