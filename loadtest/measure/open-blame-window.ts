import type { RunBlame } from './blame-window.ts';
import { openEndpointWindow } from './blame-window.ts';
import { isProcessList, openClusterBlameWindow } from './cluster-blame-window.ts';

/**
 * Opens a blame window at the server and returns the function that closes it and reads its blame: one
 * stall-blame endpoint's, or with a cluster's list of them (`…/processes`, what a CLUSTER=N server
 * names in its ready message), every process's, merged. With no URL, one that gives null.
 */
export async function openBlameWindow(url: string | undefined): Promise<() => Promise<RunBlame | null>> {
  if (url === undefined) return async () => null;
  return isProcessList(url) ? openClusterBlameWindow(url) : openEndpointWindow(url);
}
