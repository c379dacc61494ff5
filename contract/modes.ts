/**
 * The modes a workload can run in, as the server's index names them. The list is open on purpose: a
 * new mode is one entry here plus its traits (server/workloads/modes.ts) and its runner in the
 * workload route, and every list the index, the bounds and the harness show follows from it (the
 * harness reads the modes from the index, where a server may add its own, like `queue`).
 */
export const MODES = ['blocking', 'async', 'worker'] as const;
export type Mode = (typeof MODES)[number];
