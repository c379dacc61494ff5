import { readdirSync, readFileSync } from 'node:fs';

/** Parent of every live process, read from /proc (Linux only). */
function parents(): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The fields after the command name, which is in parentheses and may contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      byPid.set(Number(entry), ppid);
    } catch {
      // It exited while we looked.
    }
  }
  return byPid;
}

/** Every process below `root` (children, grandchildren, …), not `root` itself. */
export function descendants(root: number): number[] {
  const byPid = parents();
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const [child, parent] of byPid) {
      if (parent === pid) {
        found.push(child);
        visit(child);
      }
    }
  };
  visit(root);
  return found;
}

/** The command line of a process, for messages; empty once it has exited. */
export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}

/** The processes of `pids` still alive. */
export function stillAlive(pids: readonly number[]): number[] {
  return pids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return commandOf(pid) !== ''; // a zombie has no command line left
    } catch {
      return false;
    }
  });
}
