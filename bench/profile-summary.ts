/**
 * `node --import tsx bench/profile-summary.ts <file.cpuprofile> [top] [fromS toS]`: where a V8 CPU
 * profile's time went (optionally only between two offsets from its start, in seconds) — self time by function and by package (or node internals), as shares of the sampled time.
 * Used on the looplab server's profile from `npm run bench -- --cpu-prof DIR`.
 */
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A package name, `node:<internal>`, `looplab:<dir>` or a V8 pseudo-frame like `(idle)`. */
export function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  const own = /\/(server|bench|db|upstream)\/(.*)$/.exec(url);
  return own ? `looplab:${own[1]}/${own[2]}` : url;
}

/** Shares are of the busy time: `(idle)` samples are counted apart (`idleMs`). */
export function summarize(
  profile: CpuProfile,
  top: number,
  window: [number, number] = [0, Number.POSITIVE_INFINITY],
): { busyMs: number; idleMs: number; byFunction: [string, number][]; byOwner: [string, number][] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let t = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (t >= window[0] * 1e6 && t < window[1] * 1e6) self.set(id, (self.get(id) ?? 0) + dt);
  });
  let idleUs = 0;
  let totalUs = 0;
  const fn = new Map<string, number>();
  const owner = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    totalUs += us;
    const who = ownerOf(url, functionName);
    const key = `${functionName || '(anonymous)'} ${who}:${lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    owner.set(who, (owner.get(who) ?? 0) + us);
  }
  const share = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]): [string, number] => [k, Math.round((us / totalUs) * 1000) / 10]);
  return {
    busyMs: Math.round(totalUs / 1000),
    idleMs: Math.round(idleUs / 1000),
    byFunction: share(fn),
    byOwner: share(owner),
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').slice(-2).join('/'))) {
  const [file, topArg, from, to] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [top] [fromS toS]');
    process.exit(2);
  }
  const summary = summarize(JSON.parse(await readFile(file, 'utf8')) as CpuProfile, Number(topArg ?? 25), [
    Number(from ?? 0),
    Number(to ?? Number.POSITIVE_INFINITY),
  ]);
  console.log(`${summary.busyMs} ms busy, ${summary.idleMs} ms idle\n\nby package / area (self % of busy):`);
  for (const [k, pct] of summary.byOwner) console.log(`${pct.toFixed(1).padStart(6)}  ${k}`);
  console.log('\nby function (self % of busy):');
  for (const [k, pct] of summary.byFunction) console.log(`${pct.toFixed(1).padStart(6)}  ${k}`);
}
