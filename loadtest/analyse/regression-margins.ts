import { BLAME_MARGIN_NAME, DEFAULT_BLAME_MARGIN_MS, MARGIN_LIMITS, REGRESSION_FIGURES } from './regression-figures.ts';

/** What `--max-regression` gates, and by how much each may get worse before it counts. */
export interface RegressionMargins {
  /** Figure name → the share it may worsen by (0.1 = 10%); only the figures named here are gated. */
  readonly figures: ReadonlyMap<string, number>;
  /** How many ms of stall time a culprit may gain per measured window; null: blame not gated. */
  readonly blameMs: number | null;
}

export class MarginError extends Error {}

const PERCENT = /^(\d+(?:\.\d+)?)%$/;
const MS = /^(\d+(?:\.\d+)?)ms$/;
const NAMES = [...REGRESSION_FIGURES.map((f) => f.name), BLAME_MARGIN_NAME];

function percent(raw: string, what: string): number {
  const match = PERCENT.exec(raw);
  const value = match ? Number(match[1]) : Number.NaN;
  const { maxPercent } = MARGIN_LIMITS;
  if (!(value > 0 && value <= maxPercent))
    throw new MarginError(
      `--max-regression: ${what} "${raw}" is not a percentage above 0 and up to ${maxPercent}% (e.g. 10%)`,
    );
  return value / 100;
}

/**
 * `10%` gates every figure at 10% and blame at {@link DEFAULT_BLAME_MARGIN_MS} ms; `rps=5%,p99=15%`
 * gates only those; `10%,rps=5%,blame=30ms` gates all, rps tighter, blame at 30 ms.
 * @throws MarginError naming the item and what it allows.
 */
export function parseMargins(raw: string): RegressionMargins {
  let all: number | undefined;
  const named = new Map<string, number>();
  let blameMs: number | null = null;
  for (const item of raw.split(',').map((s) => s.trim())) {
    const eq = item.indexOf('=');
    if (eq < 0) {
      if (all !== undefined) throw new MarginError('--max-regression: give one share for every figure, not two');
      all = percent(item, 'share');
      continue;
    }
    const name = item.slice(0, eq);
    const value = item.slice(eq + 1);
    if (!NAMES.includes(name))
      throw new MarginError(`--max-regression: unknown figure "${name}" (${NAMES.join(', ')})`);
    if (named.has(name) || (name === BLAME_MARGIN_NAME && blameMs !== null))
      throw new MarginError(`--max-regression: ${name} is given more than once`);
    if (name === BLAME_MARGIN_NAME) {
      const match = MS.exec(value);
      blameMs = match ? Number(match[1]) : Number.NaN;
      if (!(blameMs > 0 && blameMs <= MARGIN_LIMITS.maxBlameMs))
        throw new MarginError(
          `--max-regression: blame "${value}" is not a stall time above 0 ms (e.g. blame=50ms), up to ${MARGIN_LIMITS.maxBlameMs} ms`,
        );
    } else {
      named.set(name, percent(value, name));
    }
  }
  const figures = new Map<string, number>();
  for (const f of REGRESSION_FIGURES) {
    const margin = named.get(f.name) ?? all;
    if (margin !== undefined) figures.set(f.name, margin);
  }
  return { figures, blameMs: blameMs ?? (all !== undefined ? DEFAULT_BLAME_MARGIN_MS : null) };
}
