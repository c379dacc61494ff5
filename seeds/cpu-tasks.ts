/**
 * The texts' CPU-bound functions, in plain JavaScript. Each is a pure function of its task, so the
 * same code runs on the main thread, in a worker thread and in a child process.
 */

export type CpuTask =
  | { fn: 'sumOfSquares'; n: number }
  | { fn: 'primes'; n: number }
  | { fn: 'matrixRow'; n: number; row: number };

/** Σ i² for i below n (002, 003). A double, as Python's int would not be: the loop is the point, not the digits. */
export function sumOfSquares(n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += i * i;
  return sum;
}

/** The primes up to n by the sieve of Eratosthenes (001); returns how many there are. */
export function countPrimes(n: number): number {
  const composite = new Uint8Array(n + 1);
  for (let p = 2; p * p <= n; p++) {
    if (composite[p]) continue;
    for (let i = p * 2; i <= n; i += p) composite[i] = 1;
  }
  let count = 0;
  for (let p = 2; p <= n; p++) if (!composite[p]) count++;
  return count;
}

/** A deterministic n×n matrix (row-major): every thread and process builds the same one, no copying. */
const matrices = new Map<string, Float64Array>();
function matrix(n: number, seed: number): Float64Array {
  const key = `${n}:${seed}`;
  let m = matrices.get(key);
  if (!m) {
    m = new Float64Array(n * n);
    let x = seed;
    // A small linear congruential generator: fast, and the same numbers everywhere.
    for (let i = 0; i < m.length; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      m[i] = x / 4294967296;
    }
    matrices.set(key, m);
  }
  return m;
}

/** One row of A·B for two fixed random n×n matrices (003's row-wise product); returns the row's sum. */
export function matrixRow(n: number, row: number): number {
  const a = matrix(n, 1);
  const b = matrix(n, 2);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const aik = a[row * n + k] as number;
    const offset = k * n;
    for (let j = 0; j < n; j++) out[j] = (out[j] as number) + aik * (b[offset + j] as number);
  }
  let sum = 0;
  for (let j = 0; j < n; j++) sum += out[j] as number;
  return sum;
}

export function runCpuTask(task: CpuTask): number {
  if (task.fn === 'sumOfSquares') return sumOfSquares(task.n);
  if (task.fn === 'primes') return countPrimes(task.n);
  return matrixRow(task.n, task.row);
}
