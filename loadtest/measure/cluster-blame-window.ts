import { mergeProcessBlame } from './blame-merge.ts';
import {
  blankBlame,
  failed,
  getJson,
  openEndpointWindow,
  TOP_CULPRITS,
  type ProcessBlame,
  type RunBlame,
  type UnreadProcess,
} from './blame-window.ts';

/** The path of a cluster primary's list of its processes' endpoints (server/cluster/blame-directory.ts). */
const PROCESSES_PATH = '/processes';

/** True when `url` is a cluster's list of stall-blame endpoints rather than one endpoint. */
export const isProcessList = (url: string): boolean => new URL(url).pathname.replace(/\/+$/, '') === PROCESSES_PATH;

async function listProcesses(url: string): Promise<Map<number, string>> {
  const { processes } = (await getJson(url)) as { processes?: unknown };
  if (!Array.isArray(processes))
    throw new Error(
      `${url} did not answer {"processes": [{"pid", "url"}]}; is it a looplab cluster's stall-blame list?`,
    );
  return new Map((processes as { pid: number; url: string }[]).map((p) => [p.pid, p.url]));
}

/**
 * A cluster's blame window: the processes listed when it opens are each marked (every one profiles its
 * own event loop, on its own port), and read and merged when it closes. A process that exited within
 * the window, or one that started within it (a replacement), is named in `unread` with why, never
 * dropped silently; its stalls are not in the figures.
 */
export async function openClusterBlameWindow(url: string): Promise<() => Promise<RunBlame>> {
  let atOpen: Map<number, string>;
  try {
    atOpen = await listProcesses(url);
  } catch (err) {
    return async () => failed(url, err);
  }
  // Every culprit is kept per process until the merge, so a culprit's merged ms are all of its ms.
  const closers = await Promise.all(
    [...atOpen].map(async ([pid, endpoint]) => ({ pid, close: await openEndpointWindow(endpoint, Infinity) })),
  );
  return async () => {
    const read = await Promise.all(closers.map(async ({ pid, close }) => ({ ...(await close()), pid })));
    const atClose = await listProcesses(url).catch(() => null);
    const unread: UnreadProcess[] = [];
    const processes: ProcessBlame[] = [];
    for (const blame of read) {
      if (atClose && !atClose.has(blame.pid)) unread.push({ pid: blame.pid, reason: 'exited within the window' });
      else if (blame.error !== null) unread.push({ pid: blame.pid, reason: blame.error });
      else processes.push(blame);
    }
    for (const pid of atClose?.keys() ?? [])
      if (!atOpen.has(pid)) unread.push({ pid, reason: 'started within the window (a replacement)' });
    if (processes.length === 0)
      return {
        ...blankBlame(
          url,
          `no process's blame could be read: ${unread.map((u) => `pid ${u.pid} ${u.reason}`).join('; ')}`,
        ),
        unread,
      };
    return mergeProcessBlame(url, processes, unread, TOP_CULPRITS);
  };
}

/**
 * Opens a blame window at the server and returns the function that closes it and reads its blame: one
 * stall-blame endpoint's, or with a cluster's list of them (`…/processes`, what a CLUSTER=N server
 * names in its ready message), every process's, merged. With no URL, one that gives null.
 */
export async function openBlameWindow(url: string | undefined): Promise<() => Promise<RunBlame | null>> {
  if (url === undefined) return async () => null;
  return isProcessList(url) ? openClusterBlameWindow(url) : openEndpointWindow(url);
}
