import { userPath } from '../../lib/user-path.ts';
import { runFaultDrill } from '../faults/faults.ts';
import { renderFaultsMarkdown, writeFaultReports } from '../faults/faults-report.ts';
import { FAULT_DRILL_RATE } from '../flags.ts';
import type { HarnessOptions } from '../types.ts';
import { fail } from './cli-io.ts';
import { formatSeconds } from './eta.ts';
import { EXIT } from './exit-codes.ts';
import { ProgressDisplay } from './progress.ts';

/**
 * `npm run loadtest -- --faults`: the fault drill at the first `--rate` (FAULT_DRILL_RATE when none), `--duration`
 * seconds per phase — database, upstream, then a queue worker SIGKILLed mid-job; prints its tables
 * (or JSON) and writes its reports. Returns the exit code.
 */
export async function runFaultCommand(
  options: HarnessOptions,
  command: string,
  say: (text: string) => void,
): Promise<number> {
  const rate = options.rates[0] ?? FAULT_DRILL_RATE;
  say(
    `fault run, ${rate} req/s per workload, ${options.duration} s per phase (about ` +
      `${formatSeconds(options.duration * 7 + 40)} with start-up and the queue worker kill)`,
  );
  // The drill's phases last --duration seconds each: a ticking line keeps those waits from being silent.
  const drill = new ProgressDisplay(process.stderr, options, []);
  drill.preparingTo('fault run under way');
  const faults = await runFaultDrill({ rate, phaseSeconds: options.duration }, (step) =>
    drill.note(`loadtest: ${step}`),
  )
    .catch((err: unknown) => fail(err instanceof Error ? err.message : String(err), EXIT.couldNotRun))
    .finally(() => drill.stop());
  const dir = await writeFaultReports(userPath(options.out), faults, command);
  process.stdout.write(options.json ? `${JSON.stringify(faults, null, 2)}\n` : renderFaultsMarkdown(faults, command));
  say(`reports in ${dir}/ (results.json, report.md, report.html)`);
  return EXIT.ok;
}
