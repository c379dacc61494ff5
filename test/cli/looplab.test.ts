import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../cli/commands.ts';
import { typeScriptLoaderArgs } from '../../lib/loader-args.ts';
import { EXIT } from '../../loadtest/cli/exit-codes.ts';
import { GATE_FLAGS } from '../../stall-blame/gate/flags.ts';
import { SIDE_BY_SIDE_GUARD_MS, STACK_LINE } from '../loadtest/run-cli.ts';

/** `looplab …` as the package's bin and the npm scripts run it: the real dispatcher in a child process. */
function looplab(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...typeScriptLoaderArgs(), 'cli/looplab.ts', ...args],
      { timeout: 60_000, env },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });
}

const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { version: string; scripts: Record<string, string> };

describe('looplab <command>', () => {
  it.concurrent(
    '--help lists every command, one line each, and exits 0',
    async () => {
      const { code, stdout } = await looplab(['--help']);
      expect(code).toBe(EXIT.ok);
      for (const c of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${c.name} +\\S.*$`, 'm'));
    },
    SIDE_BY_SIDE_GUARD_MS,
  );

  it.concurrent(
    "--version prints the package's version",
    async () => {
      const { code, stdout } = await looplab(['--version']);
      expect(code).toBe(EXIT.ok);
      expect(stdout).toBe(`${pkg.version}\n`);
    },
    SIDE_BY_SIDE_GUARD_MS,
  );

  it.concurrent.each([
    [
      ['nope'],
      'looplab: unknown command "nope"; the commands: serve, loadtest, advise, worker, bench, seeds, gate, upstream, clean',
    ],
    [['--nope'], 'looplab: "--nope" is not a command'],
    [['serve', '--port', '3000'], "looplab: serve: Unknown option '--port' (looplab serve --help)"],
    [['clean', 'everything'], 'looplab: clean: Unexpected argument'],
  ])(
    '%j is refused in one line, exit 2, starting nothing',
    async (args, message) => {
      const { code, stdout, stderr } = await looplab(args);
      expect(code).toBe(EXIT.usage);
      expect(stderr).toContain(message);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).not.toMatch(STACK_LINE);
      expect(stdout).toBe('');
    },
    SIDE_BY_SIDE_GUARD_MS,
  );

  it.concurrent.each(COMMANDS.map((c) => [c.name, c] as const))(
    '%s --help prints each of its flags from its spec, and exits 0',
    async (_name, command) => {
      const { code, stdout } = await looplab([command.name, '--help']);
      expect(code).toBe(EXIT.ok);
      for (const flag of Object.keys(command.flags.flags)) expect(stdout).toMatch(new RegExp(`^  --${flag}\\b`, 'm'));
    },
    SIDE_BY_SIDE_GUARD_MS,
  );

  it('serve takes --workload-file or WORKLOADS, and refuses both at once in one line, starting nothing', async () => {
    const { code, stdout, stderr } = await looplab(['serve', '--workload-file', './a.js'], {
      ...process.env,
      WORKLOADS: './b.js',
    });
    expect(code).toBe(EXIT.usage);
    expect(stderr).toBe(
      'looplab serve: --workload-file and WORKLOADS both name workload files; give one of them (looplab serve --help)\n',
    );
    expect(stdout).toBe('');
  });

  it.concurrent.each(
    (() => {
      const { min, max } = GATE_FLAGS['stall-threshold'].range;
      return [String(min - 1), String(max + 1)];
    })(),
  )(
    'gate refuses --stall-threshold %s, one past its spec range, in one line naming the range, running nothing',
    async (value) => {
      const { min, max } = GATE_FLAGS['stall-threshold'].range;
      const { code, stdout, stderr } = await looplab(['gate', '--stall-threshold', value, '--', 'node', '-e', '0']);
      expect(code).toBe(EXIT.usage);
      expect(stderr).toContain(`--stall-threshold must be a whole number of ms in ${min}..${max} (got "${value}")`);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stdout).toBe('');
    },
    SIDE_BY_SIDE_GUARD_MS,
  );

  it("runs the command's own refusals in its own words (loadtest's usage exit)", async () => {
    const { code, stderr } = await looplab(['loadtest', '--workload', './w.ts']);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain('loadtest: --workload is now two flags: --workload-file FILE');
  });
});

describe('the npm scripts', () => {
  it.each(COMMANDS.map((c) => [c.npmScript, c.name] as const))(
    '%s execs node on the dispatcher (no shell or npm layer between it and the signals)',
    (npmScript, name) => {
      const script = npmScript === 'npm start' ? 'start' : npmScript.replace('npm run ', '');
      expect(pkg.scripts[script]).toBe(`exec node --import ./lib/typescript-loader.mjs cli/looplab.ts ${name}`);
    },
  );
});
