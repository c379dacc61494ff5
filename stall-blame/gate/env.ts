import { siblingFile, typeScriptLoaderArgs } from '../../lib/loader-args.ts';
import { STALL_BLAME_LIMITS } from '../limits.ts';

/** The gate's variables, read by its preload in every process it reaches. */
export const GATE_VARIABLES = {
  /** The directory each thread writes its record into; set by the gate for the processes under it. */
  dir: 'LOOPLAB_GATE_DIR',
  /** The one name of the stall threshold (ms), here as everywhere in looplab. */
  threshold: 'STALL_THRESHOLD_MS',
  /** The config file (default `.looplab-gate.json` in the working directory, if there is one). */
  config: 'LOOPLAB_GATE_CONFIG',
  /** `1` lists the synchronous fs/crypto/zlib/child_process calls made after start-up (`--sync-io`). */
  syncIo: 'LOOPLAB_GATE_SYNC_IO',
} as const;

/**
 * What the gate exits with when the command itself succeeded (a failing command's own code is kept),
 * each with its meaning for docs/reference/exit-codes.md (scripts/reference/exit-codes.ts).
 */
export const GATE_EXIT_TABLE = {
  ok: { code: 0, help: 'the command passed and no stall in your code went unallowed' },
  usage: { code: 2, help: "the gate's command line or config file was refused (one sentence says which field)" },
  stalled: {
    code: 5,
    help: 'the command passed, but the event loop stalled in your code and the stall is not on the allowlist',
  },
} as const satisfies Record<string, { code: number; help: string }>;

export const GATE_EXIT = Object.freeze({
  ok: GATE_EXIT_TABLE.ok.code,
  usage: GATE_EXIT_TABLE.usage.code,
  stalled: GATE_EXIT_TABLE.stalled.code,
});

/** STALL_THRESHOLD_MS as a whole number in range, or undefined when unset; throws naming it when bad. */
export function thresholdFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env[GATE_VARIABLES.threshold];
  if (raw === undefined || raw === '') return undefined;
  const [min, max] = STALL_BLAME_LIMITS.stallThresholdMs;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max))
    throw new RangeError(
      `looplab gate: ${GATE_VARIABLES.threshold} must be a whole number ${min}..${max} (got "${raw}")`,
    );
  return value;
}

/**
 * `--import` of the gate's preload, for NODE_OPTIONS: its TypeScript in the repo (with the loader, which
 * adds nothing where Node strips types), its compiled sibling in the package.
 */
export function gateImports(): string {
  return [...typeScriptLoaderArgs(), '--import', siblingFile(import.meta.url, './preload.ts').href]
    .map((arg) => (arg.startsWith('--') ? arg : `"${arg}"`))
    .join(' ');
}

/** NODE_OPTIONS with the gate's imports added, once. */
export function withGateImports(nodeOptions: string | undefined): string {
  const imports = gateImports();
  if (nodeOptions?.includes(imports)) return nodeOptions;
  return nodeOptions ? `${nodeOptions} ${imports}` : imports;
}
