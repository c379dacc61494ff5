/**
 * The Node versions looplab runs on, checked before anything else is loaded. 22.18 is the first Node 22
 * that strips TypeScript by default, so a user's workload file may be `.ts` with no loader; Node 20 has
 * been past its end of life since April 2026. `engines` in package.json says the same, but npm only
 * warns about it: this check is what a user on an older Node meets, in one line.
 *
 * No imports: it must run on any Node, before a module that needs a newer one is loaded.
 */
export const SUPPORTED_NODE = '>=22.18';

const MINIMUM = [22, 18] as const;

/** The one line an unsupported Node gets, or null when `version` (e.g. `20.20.2`) is supported. */
export function unsupportedNode(version: string, what: string): string | null {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const supported = major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1]);
  return supported ? null : `${what}: needs Node ${SUPPORTED_NODE}; this is Node ${version}`;
}

/** Exits with that line (status 1) on an unsupported Node. */
export function refuseUnsupportedNode(what: string): void {
  const refusal = unsupportedNode(process.versions.node, what);
  if (refusal === null) return;
  process.stderr.write(`${refusal}\n`);
  process.exit(1);
}
