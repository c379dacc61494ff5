import { userPath } from '../../lib/user-path.ts';
import { exportK6 } from '../export/export-k6.ts';
import type { HarnessOptions } from '../types.ts';
import { fail } from './cli-io.ts';
import { EXIT } from './exit-codes.ts';

/** `npm run loadtest -- --export k6 DIR`: writes the scripts, lists them, sends nothing. Returns the exit code. */
export async function runExportCommand(
  options: HarnessOptions,
  command: string,
  say: (text: string) => void,
): Promise<number> {
  const target = options.export;
  if (!target) return EXIT.usage;
  const written = await exportK6(options, userPath(target.dir), command).catch((err: unknown) =>
    fail(`--export: ${err instanceof Error ? err.message : String(err)}`, EXIT.couldNotRun),
  );
  for (const path of written) process.stdout.write(`${path}\n`);
  say(
    `${written.length} k6 script(s) in ${target.dir}/; no load was sent (run one with: k6 run -e BASE_URL=<server> ${written[0] ?? 'FILE'})`,
  );
  return EXIT.ok;
}
