/**
 * The blocking function the fixture servers of the `--target … -- <command>` tests define, as JavaScript
 * source: it holds the loop for `ms` of the process's own CPU time (not wall time), so a loaded machine
 * cannot make it block less. Spliced into each fixture at the line where the tests expect it.
 */
export const BLOCK_FOR_SOURCE = `function blockFor(ms) {
  const start = process.cpuUsage();
  let spins = 0;
  for (let used = 0; used < ms * 1000; spins += 1) used = process.cpuUsage(start).user + process.cpuUsage(start).system;
  return spins;
}`;
