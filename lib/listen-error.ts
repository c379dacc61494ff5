/**
 * One line for a server that cannot listen, naming the port and the variable that sets it, instead
 * of Node's unhandled 'error' event and stack trace.
 */
export function describeListenError(err: unknown, port: number, variable: string): string {
  const code = (err as { code?: unknown }).code;
  if (code === 'EADDRINUSE')
    return `port ${port} is already in use; choose another with ${variable} (${variable}=0 picks any free port)`;
  if (code === 'EACCES') return `no permission to listen on port ${port}; choose a port above 1023 with ${variable}`;
  if (code === 'EADDRNOTAVAIL')
    return `cannot listen on the address given by HOST: it is not an address of this machine`;
  return `cannot listen on port ${port}: ${err instanceof Error ? err.message : String(err)}`;
}
