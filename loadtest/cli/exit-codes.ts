/**
 * What `npm run loadtest` exits with. Each outcome has its own code so a CI job can tell a failed gate
 * from a run that measured nothing and from a harness that could not run at all.
 */
export const EXIT = Object.freeze({
  /** The run completed and every --threshold held. */
  ok: 0,
  /** The run completed, but a --threshold did not hold. */
  thresholdFailed: 1,
  /** The command line was refused (a bad option, a parameter the server would refuse, an unreadable --compare); no load was sent. */
  usage: 2,
  /** The run completed, but most of its scenarios were answered mostly with errors (or not at all): its figures describe failures. */
  measuredFailures: 3,
  /** The harness could not run: the server was unreachable or not ready, a process failed to start, or the harness itself failed. */
  couldNotRun: 4,
  /** Ctrl-C. */
  interrupted: 130,
});

/** The exit codes as `--help` and docs/reference/exit-codes.md list them. */
export const EXIT_CODES_TEXT = `Exit codes:
  0    the run completed and every --threshold held
  1    a --threshold did not hold
  2    the command line was refused (or the server at --url would refuse its --params); no load was sent
  3    most scenarios were answered mostly with non-2xx (or not at all): the figures describe failures
  4    the harness could not run (server unreachable or not ready, a process failed to start, a crash;
       LOOPLAB_DEBUG=1 prints the stack of an unexpected failure)
  130  interrupted (Ctrl-C)`;
