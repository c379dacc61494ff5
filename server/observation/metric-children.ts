import type { WorkLabel } from '../routes/app-env.ts';

/**
 * Memoises a prom-client label child per (work label, second label). Work labels are shared frozen
 * objects, one per known workload/mode pair, so they key a Map directly; the second label (a status
 * or a failure reason) comes from a small fixed set. Both keep the label set bounded.
 */
export function labelledChildren<K, C>(make: (work: WorkLabel, key: K) => C): (work: WorkLabel, key: K) => C {
  const byWork = new Map<WorkLabel, Map<K, C>>();
  return function child(work, key) {
    let byKey = byWork.get(work);
    if (!byKey) byWork.set(work, (byKey = new Map()));
    let found = byKey.get(key);
    if (found === undefined) byKey.set(key, (found = make(work, key)));
    return found;
  };
}
