import { HttpError } from '../../lib/http-error.ts';
import { parseParams } from '../../lib/params.ts';
import { findWorkload } from '../../server/workloads/registry.ts';
import type { WorkloadName } from '../types.ts';

/** A workload parameter the server would refuse: what it said, in the words of `--params`. */
export class ParamRuleError extends Error {
  override name = 'ParamRuleError';
}

function allowedText(err: HttpError): string {
  const { param, allowed } = err.details;
  if (allowed === undefined) return '';
  return typeof param === 'string' ? `; ${param} allowed: ${String(allowed)}` : `; allowed: ${String(allowed)}`;
}

/**
 * Checks one workload's query parameters with the server's own code — the same strict parsing and the
 * same cross-parameter limits (`queries × sleep`, `count × delay`, scrypt's power of two…) that answer
 * 400 at `/<workload>/<mode>` — so a run never sends a whole scenario of refusals. Using the server's
 * rules rather than a copy keeps the two from drifting apart.
 * @throws ParamRuleError naming the workload, the parameter and what it allows.
 */
export function checkWorkloadParams(workload: WorkloadName, params: Readonly<Record<string, string>>): void {
  const spec = findWorkload(workload);
  if (!spec) throw new ParamRuleError(`unknown workload "${workload}"`);
  const query = new URLSearchParams(params);
  try {
    spec.check?.(parseParams(spec.params, query));
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    const unknown = err.message.startsWith('unknown parameter');
    const known = Object.keys(spec.params).map((p) => `${workload}.${p}`).join(', ');
    const given = [...query].map(([k, v]) => `${workload}.${k}=${v}`).join(',');
    throw new ParamRuleError(
      unknown
        ? `${workload}: ${err.message}; known parameters: ${known}`
        : `${given}: the server would refuse it — ${err.message}${allowedText(err)}`,
    );
  }
}
