/**
 * One signal per concurrent call, all aborted by a single listener on `parent`.
 *
 * Handing one signal to N calls makes each of them add its own listener to it, and past ten Node warns
 * (`MaxListenersExceededWarning`) on a perfectly normal request such as `fetch/async?count=11`.
 */
export function splitSignal(parent: AbortSignal | undefined, count: number): Array<AbortSignal | undefined> {
  // One call (the default `count=1`, `queries=1`) adds one listener anyway: no controller needed.
  if (!parent || count === 1) return Array.from({ length: count }, () => parent);
  const controllers = Array.from({ length: count }, () => new AbortController());
  const abortAll = () => {
    for (const controller of controllers) controller.abort(parent.reason);
  };
  if (parent.aborted) abortAll();
  else parent.addEventListener('abort', abortAll, { once: true });
  return controllers.map((controller) => controller.signal);
}
