/**
 * The `/ready` check value for worker threads that cannot load a WORKLOADS file: the file loaded in the
 * main thread and fails in every worker thread, so worker mode stays unavailable for the process's
 * life. A harness that sees it stops waiting at once. The body never carries the error's message
 * (messages can carry paths and credentials); the server's log line says which file and why.
 */
export const WORKERS_CANNOT_LOAD = 'cannot load a workload file (the server log says which and why)';
