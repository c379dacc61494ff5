import { type Flags, renderFlagsHelp } from '../../lib/flags.ts';
import { GATE_STALL_THRESHOLD_MS, STALL_BLAME_LIMITS } from '../limits.ts';
import { GATE_CONFIG_FILE } from './config.ts';
import { GATE_EXIT } from './env.ts';

const [min, max] = STALL_BLAME_LIMITS.stallThresholdMs;

/** `looplab gate`'s flags, each defined once: the parser, `--help` and the reference page read them. */
export const GATE_FLAGS = {
  'stall-threshold': {
    type: 'string',
    value: 'MS',
    default: GATE_STALL_THRESHOLD_MS,
    range: { min, max },
    doc: 'a stall is the event loop running a due callback more than this late (STALL_THRESHOLD_MS, or stallThresholdMs in the config file, if not given)',
    examples: ['100'],
  },
  config: {
    type: 'string',
    value: 'FILE',
    defaultText: `${GATE_CONFIG_FILE} if there is one`,
    doc: 'the allowlist ({ "allow": [{ "file": glob, "function": glob, "reason": text }] }) and stallThresholdMs',
    examples: ['gate.json'],
  },
  'sync-io': {
    type: 'boolean',
    doc:
      'also list the fs, crypto, zlib and child_process *Sync calls your code made after start-up, however short (as ' +
      'node --trace-sync-io reports them); listed, never gated (LOOPLAB_GATE_SYNC_IO=1 with the preload)',
  },
  help: { type: 'boolean', short: 'h', doc: 'this text' },
} as const satisfies Flags;

export const GATE_USAGE = `Usage: looplab gate [options] [--] <command> [args…]        (npm run gate -- <command>)

Runs <command> with looplab's stall gate in every Node process and worker thread it starts (through
NODE_OPTIONS), then names each stall over the threshold in your code: function, file:line, ms, count,
and the vitest test that was running. Exit codes: the command's own when it failed; ${GATE_EXIT.stalled} when it passed
but a stall is not on the allowlist; ${GATE_EXIT.usage} when the command line or config is refused; ${GATE_EXIT.ok} otherwise.

${renderFlagsHelp(GATE_FLAGS)}`;
