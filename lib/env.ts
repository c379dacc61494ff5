/**
 * Readers for environment variables, shared by every entry point (the server, the bundled upstream, the
 * load harness), so each validates the same way and names the variable in its error. Each entry parses
 * its own variables once, at its edge; nothing deeper reads `process.env`.
 */

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Env = Readonly<Record<string, string | undefined>>;

/** A whole number in `min..max`, or `fallback` when unset or empty. */
export function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/**
 * A URL with one of `protocols`, or undefined when unset. With `asBase`, the query and fragment are dropped
 * and trailing slashes trimmed: request paths are appended to a base.
 */
export function readUrl(env: Env, name: string, protocols: readonly string[], asBase = false): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL (${protocols.join(' or ')}), got something unparsable`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got ${url.protocol}`);
  }
  return asBase ? url.origin + url.pathname.replace(/\/+$/, '') : raw;
}

/** The dependencies an entry may be pointed at instead of starting its own (`npm start`, the harness). */
export function readDependencyUrls(env: Env): { databaseUrl: string | undefined; upstreamUrl: string | undefined } {
  return {
    databaseUrl: readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    upstreamUrl: readUrl(env, 'UPSTREAM_URL', ['http:', 'https:'], true),
  };
}
