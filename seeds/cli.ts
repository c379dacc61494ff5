/**
 * `npm run seeds`: parses the command line, runs the seeds, prints the tables and writes the reports.
 * Progress goes to stderr and the tables to stdout, so the output can be piped.
 */
import { formatSeconds, remainingSeconds } from '../loadtest/cli/eta.ts';
import { writeSeedsReports } from './output.ts';
import { parseSeedsOptions, SEEDS_USAGE, SeedsOptionsError } from './options.ts';
import { planSteps } from './plan.ts';
import { renderText } from './render-text.ts';
import { runSeeds } from './runner.ts';

const say = (text: string) => process.stderr.write(`seeds: ${text}\n`);
const command = `npm run seeds${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

let parsed: ReturnType<typeof parseSeedsOptions>;
try {
  parsed = parseSeedsOptions(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof SeedsOptionsError)) throw err;
  say(err.message);
  process.exit(2);
}
if (parsed === 'help') {
  process.stdout.write(`${SEEDS_USAGE}\n`);
  process.exit(0);
}
const options = parsed;
const planned = planSteps(options).reduce((sum, s) => sum + s.estimateS, 0);
say(
  `about ${formatSeconds(planned)} to run (latencies ÷ ${options.scale}, ${options.repeats} repeat${options.repeats === 1 ? '' : 's'})`,
);

const began = Date.now();
let doneEstimate = 0;
try {
  const results = await runSeeds(options, command, {
    onStep({ step, index, total, steps }) {
      doneEstimate += step.estimateS;
      const left = steps.slice(index + 1).reduce((sum, s) => sum + s.estimateS, 0);
      const eta = remainingSeconds(left, doneEstimate, (Date.now() - began) / 1000);
      const what =
        step.sweepSize === undefined ? `${step.experiment} ${step.form}` : `sweep ${step.form} ${step.sweepSize}`;
      const line = `[${index + 1}/${total}] ${what} — about ${formatSeconds(eta)} left`;
      if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line}${index + 1 === total ? '\n' : ''}`);
      else say(line);
    },
  });
  process.stdout.write(renderText(results));
  const dir = await writeSeedsReports(options.out, results);
  say(`reports in ${dir}/ (results.json, report.md, report.html)`);
} catch (err) {
  say(`could not complete: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(4);
}
