/**
 * Where the started command's server listens, asked of the preload inside it (`GET /listening` on its
 * blame endpoint): the port the server actually took, whatever PORT said.
 */
import type { ListeningAddress } from '../../stall-blame/listening.ts';
import { httpGet } from '../stack/http-get.ts';

/** What the blame endpoint says: undefined while it does not answer (the preload not loaded yet). */
export async function askListening(blameUrl: string): Promise<ListeningAddress[] | undefined> {
  try {
    const res = await httpGet(`${blameUrl}/listening`, 2_000);
    if (!res.ok) {
      await res.dump();
      return undefined;
    }
    return ((await res.json()) as { listening: ListeningAddress[] }).listening;
  } catch {
    return undefined;
  }
}

/**
 * The origin to load: the address on the port the harness gave in PORT if the server took it, else the
 * first one it listened on. An address on every interface is reached on loopback.
 */
export function originOf(listening: readonly ListeningAddress[], port: number): string | undefined {
  const chosen = listening.find((a) => a.port === port) ?? listening[0];
  if (!chosen) return undefined;
  const host =
    chosen.address === '0.0.0.0' || chosen.address === '::'
      ? '127.0.0.1'
      : chosen.family === 'IPv6'
        ? `[${chosen.address}]`
        : chosen.address;
  return `http://${host}:${chosen.port}`;
}
