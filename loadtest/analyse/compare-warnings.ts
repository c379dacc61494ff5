import { RESULTS_SCHEMA, type Results } from '../types.ts';

const machine = (r: Results) => `${r.environment.cpuModel}, ${r.environment.cpus} cores`;

/**
 * Why the comparison may measure something else than the change: the baseline came from another
 * machine, another Node, or another results.json schema. One sentence each; empty when none applies.
 * `previousSchema` is the schema the baseline file was written with (it is read as this one).
 */
export function compareWarnings(current: Results, previous: Results, previousSchema: string): string[] {
  const warnings: string[] = [];
  if (machine(previous) !== machine(current))
    warnings.push(
      `the baseline was measured on another machine (${machine(previous)}; this run: ${machine(current)}): a change may be the machine's, not the code's`,
    );
  if (previous.environment.node !== current.environment.node)
    warnings.push(
      `the baseline ran on Node ${previous.environment.node} (this run: ${current.environment.node}): a change may be Node's`,
    );
  const serverNode = (r: Results) => r.environment.server?.node;
  if (serverNode(previous) && serverNode(current) && serverNode(previous) !== serverNode(current))
    warnings.push(`the baseline's server ran on Node ${serverNode(previous)} (this run's: ${serverNode(current)})`);
  if (previousSchema !== RESULTS_SCHEMA)
    warnings.push(
      `the baseline is a ${previousSchema} file (this run writes ${RESULTS_SCHEMA}): read as ${RESULTS_SCHEMA}, and a figure it lacks is not compared`,
    );
  return warnings;
}
