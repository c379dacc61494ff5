import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** Sends `signal` to every process of the group `leader` heads; a group that is gone already is fine. */
function signalGroup(leader: ChildProcess, signal: NodeJS.Signals): void {
  if (leader.pid === undefined) return;
  try {
    process.kill(-leader.pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/**
 * Stops a command started in a process group of its own (`detached`): SIGTERM to the whole group, so a
 * server's children (a cluster's workers, `npm start`'s node) hear it too; SIGKILL to the group after
 * `graceMs`, or as soon as the leader is gone, so that no child it left behind outlives the run.
 */
export async function stopProcessGroup(leader: ChildProcess, graceMs = 5_000): Promise<void> {
  if (leader.pid === undefined) return; // it never started (no such command)
  const exited = leader.exitCode !== null || leader.signalCode !== null ? Promise.resolve() : once(leader, 'exit');
  signalGroup(leader, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(leader, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  signalGroup(leader, 'SIGKILL');
}

/**
 * If the harness exits without stopping the group (a crash, `process.exit` on a path that forgot it, or
 * a SIGTERM/SIGHUP it has no handler of its own for), the group is killed on the way out: a user's server
 * must not outlive the run. Returns the undo.
 */
export function killGroupOnExit(leader: ChildProcess): () => void {
  const kill = () => signalGroup(leader, 'SIGKILL');
  // A signal's default action ends the process without 'exit': kill the group, then let it happen.
  const onSignal = (signal: NodeJS.Signals) => {
    kill();
    if (process.listenerCount(signal) === 1) {
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    }
  };
  process.once('exit', kill);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  return () => {
    process.removeListener('exit', kill);
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGHUP', onSignal);
  };
}
