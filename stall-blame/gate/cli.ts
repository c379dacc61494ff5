/**
 * `looplab gate [--stall-threshold MS] [--config FILE] -- <command>`: runs the command with the stall
 * gate's preload in NODE_OPTIONS, so the command, its child processes and their worker threads all record
 * their stalls; then prints the verdict and exits with the command's own code when it failed, with
 * GATE_EXIT.stalled when it passed but the loop stalled in the project's code outside the allowlist.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseArgsConfig } from '../../lib/flags.ts';
import { GATE_STALL_THRESHOLD_MS, STALL_BLAME_LIMITS } from '../limits.ts';
import { GATE_CONFIG_FILE, readGateConfig } from './config.ts';
import { GATE_EXIT, GATE_VARIABLES, thresholdFromEnv, withGateImports } from './env.ts';
import { GATE_FLAGS, GATE_USAGE } from './flags.ts';
import { settle } from './verdict.ts';

function refuse(message: string): never {
  process.stderr.write(`looplab gate: ${message} (looplab gate --help)\n`);
  process.exit(GATE_EXIT.usage);
}

/**
 * The gate's own flags come first; the command starts after `--`, or else at the first argument that is
 * neither a flag nor a flag's value (`npm run gate -- npx vitest run`: npm takes the `--` itself).
 */
function splitCommand(argv: string[]): { own: string[]; command: string[] } {
  const split = argv.indexOf('--');
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (i === split) return { own: argv.slice(0, i), command: argv.slice(i + 1) };
    if (!arg.startsWith('-')) return { own: argv.slice(0, i), command: argv.slice(i) };
    const name = arg.replace(/^--?/, '').split('=')[0] as string;
    if (!arg.includes('=') && GATE_FLAGS[name as keyof typeof GATE_FLAGS]?.type === 'string') i += 1;
  }
  return { own: argv, command: [] };
}

const { own, command } = splitCommand(process.argv.slice(2));
let values: {
  'stall-threshold'?: string | undefined;
  config?: string | undefined;
  'sync-io'?: boolean | undefined;
  help?: boolean | undefined;
};
try {
  ({ values } = parseArgs({ args: own, options: parseArgsConfig(GATE_FLAGS), strict: true }));
} catch (error) {
  refuse((error as Error).message.split('\n')[0] as string);
}
if (values.help) {
  process.stdout.write(`${GATE_USAGE}\n`);
  process.exit(GATE_EXIT.ok);
}
const [program, ...args] = command;
if (program === undefined) refuse('give the command to gate after --, e.g. looplab gate -- npx vitest run');

let config: ReturnType<typeof readGateConfig>;
let fromEnv: number | undefined;
try {
  config = readGateConfig(values.config ?? GATE_CONFIG_FILE, values.config !== undefined);
  fromEnv = thresholdFromEnv(process.env);
} catch (error) {
  refuse((error as Error).message.replace(/^looplab gate: /, ''));
}
const [min, max] = STALL_BLAME_LIMITS.stallThresholdMs;
const flag = values['stall-threshold'];
if (flag !== undefined && !(/^\d+$/.test(flag) && Number(flag) >= min && Number(flag) <= max))
  refuse(`--stall-threshold must be a whole number of ms in ${min}..${max} (got "${flag}")`);
const stallThresholdMs =
  flag !== undefined ? Number(flag) : (fromEnv ?? config.stallThresholdMs ?? GATE_STALL_THRESHOLD_MS);

const dir = mkdtempSync(join(tmpdir(), 'looplab-gate-'));
const child = spawn(program, args, {
  stdio: 'inherit',
  env: {
    ...process.env,
    [GATE_VARIABLES.dir]: dir,
    [GATE_VARIABLES.threshold]: String(stallThresholdMs),
    ...(values['sync-io'] ? { [GATE_VARIABLES.syncIo]: '1' } : {}),
    NODE_OPTIONS: withGateImports(process.env['NODE_OPTIONS']),
  },
});
// The terminal's Ctrl-C reaches the whole process group; a SIGTERM to the gate alone is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
const code = await new Promise<number>((resolve) => {
  child.on('error', (error) => {
    process.stderr.write(`looplab gate: cannot run ${program}: ${error.message}\n`);
    resolve(127);
  });
  child.on('exit', (status, signal) => resolve(status ?? 128 + (signal === 'SIGINT' ? 2 : 15)));
});
const verdict = settle(dir, config, stallThresholdMs);
process.exit(code !== 0 ? code : verdict.passed ? GATE_EXIT.ok : GATE_EXIT.stalled);
