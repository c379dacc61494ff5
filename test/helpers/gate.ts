import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `looplab gate [gateArgs] -- <command>` from the repo's sources, run in `cwd`: its exit code and stderr. */
export function runGate(cwd: string, gateArgs: string[], command: string[]): Promise<{ code: number; stderr: string }> {
  const args = ['--import', join(ROOT, 'lib/typescript-loader.mjs'), join(ROOT, 'cli/looplab.ts'), 'gate'];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...args, ...gateArgs, '--', ...command],
      { cwd, timeout: 60_000 },
      (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
    );
  });
}
