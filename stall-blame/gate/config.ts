import { readFileSync } from 'node:fs';
import { STALL_BLAME_LIMITS } from '../limits.ts';

/** One accepted offender: a stall whose culprit matches every pattern given is allowed. */
export interface AllowEntry {
  /** A glob on the culprit's file as the report shows it (relative to the working directory): `*` within a folder, `**` across. */
  file?: string;
  /** A glob on the culprit's function name. */
  function?: string;
  /** Why it is accepted; shown beside the allowed stalls. */
  reason?: string;
}

/** `.looplab-gate.json`: the gate's settings for one project. */
export interface GateConfig {
  stallThresholdMs?: number;
  allow: AllowEntry[];
}

/** The config file read when none is named (in the working directory); a missing one means no allowlist. */
export const GATE_CONFIG_FILE = '.looplab-gate.json';

const ENTRY_KEYS = ['file', 'function', 'reason'] as const;

/** Checks a parsed config; throws one sentence naming the file and the field. */
export function parseGateConfig(data: unknown, path: string): GateConfig {
  const fail = (what: string): never => {
    throw new Error(`looplab gate: ${path}: ${what}`);
  };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail('must be a JSON object');
  const { stallThresholdMs, allow = [], ...rest } = data as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) fail(`unknown field "${unknown}" (the fields: stallThresholdMs, allow)`);
  const [min, max] = STALL_BLAME_LIMITS.stallThresholdMs;
  if (
    stallThresholdMs !== undefined &&
    !(Number.isInteger(stallThresholdMs) && (stallThresholdMs as number) >= min && (stallThresholdMs as number) <= max)
  )
    fail(`stallThresholdMs must be a whole number of ms in ${min}..${max} (got ${JSON.stringify(stallThresholdMs)})`);
  if (!Array.isArray(allow)) fail('allow must be a list of { "file"?, "function"?, "reason"? }');
  const entries = (allow as unknown[]).map((entry, i) => {
    if (typeof entry !== 'object' || entry === null) return fail(`allow[${i}] must be an object`);
    for (const [key, value] of Object.entries(entry)) {
      if (!(ENTRY_KEYS as readonly string[]).includes(key))
        fail(`allow[${i}] has unknown field "${key}" (the fields: ${ENTRY_KEYS.join(', ')})`);
      if (typeof value !== 'string' || value === '') fail(`allow[${i}].${key} must be a non-empty string`);
    }
    const typed = entry as AllowEntry;
    if (typed.file === undefined && typed.function === undefined) fail(`allow[${i}] needs "file" or "function"`);
    return typed;
  });
  return stallThresholdMs === undefined
    ? { allow: entries }
    : { stallThresholdMs: stallThresholdMs as number, allow: entries };
}

/** Reads `path`; a missing file is an empty config only when it is the default one, not one that was named. */
export function readGateConfig(path: string, named: boolean): GateConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (!named && (error as NodeJS.ErrnoException).code === 'ENOENT') return { allow: [] };
    throw new Error(`looplab gate: cannot read ${path}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`looplab gate: ${path} is not JSON`);
  }
  return parseGateConfig(data, path);
}

/** A glob as a regular expression: `**` any characters, `*` any but `/`, `?` one; the rest literal. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      source += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** The first entry that allows a stall in `frame` at `file`, or undefined. */
export function allowedBy(config: GateConfig, frame: string, file: string | null): AllowEntry | undefined {
  return config.allow.find(
    (entry) =>
      (entry.function === undefined || globToRegExp(entry.function).test(frame)) &&
      (entry.file === undefined || (file !== null && globToRegExp(entry.file).test(file))),
  );
}
