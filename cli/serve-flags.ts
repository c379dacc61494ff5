/**
 * `looplab serve`'s one flag: what WORKLOADS says, on the command line. The rest of its configuration
 * is the environment's (docs/reference/configuration.md).
 */
import type { Flags } from '../lib/flags.ts';
import { HELP_ONLY } from './command.ts';

export const SERVE_FLAGS = {
  'workload-file': {
    type: 'string',
    value: 'FILE',
    multiple: true,
    doc:
      'a workload file of your own to serve beside the built-ins, relative to where you typed the command; ' +
      'comma-separated or one per --workload-file; the same as WORKLOADS=FILE (give one or the other)',
    examples: ['./my-work.js'],
  },
  ...HELP_ONLY,
} as const satisfies Flags;
