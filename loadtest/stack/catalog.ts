/**
 * What a looplab server's index (`GET /`) says it runs: each workload's name, source, modes,
 * parameters and default load-test parameters, and where its bound model is evaluated. The harness
 * knows no workload by itself; this is where it learns them. The server's side of the shape is
 * contract/index-answer.ts; it is read here as any server's answer, checked field by field.
 */
import { httpGet } from './http-get.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): v is Record<string, string> =>
  isObject(v) && Object.values(v).every((x) => typeof x === 'string');

export interface CatalogEntry {
  name: string;
  /** "built-in" or the file the server loaded it from. */
  source: string;
  modes: string[];
  /** The index's description of each parameter (type, range or values, default). */
  params: Record<string, Json>;
  /** Every parameter with the value the workload is load-tested with by default. */
  loadtestParams: Record<string, string>;
  /** Evaluates the bound model and checks parameters: `GET <boundPath>?<params>`. */
  boundPath: string;
  faultDrill?: { dependency: string; path: string };
}

export interface Catalog {
  /** Every mode the server knows, in its order. */
  modes: string[];
  workloads: CatalogEntry[];
}

function readEntry(e: unknown): CatalogEntry | null {
  if (!isObject(e) || typeof e['path'] !== 'string') return null;
  const match = /^\/([^/]+)\/:mode$/.exec(e['path']);
  const bound = e['bound'];
  const loadtest = e['loadtest'];
  if (
    !match?.[1] ||
    !isObject(e['modes']) ||
    !isObject(e['params']) ||
    !isObject(loadtest) ||
    !isStrings(loadtest['params'])
  )
    return null;
  if (!isObject(bound) || typeof bound['path'] !== 'string') return null;
  const drill = e['faultDrill'];
  return {
    name: match[1],
    source: typeof e['source'] === 'string' ? e['source'] : 'built-in',
    modes: Object.keys(e['modes']),
    params: Object.fromEntries(Object.entries(e['params']).filter((p): p is [string, Json] => isObject(p[1]))),
    loadtestParams: loadtest['params'],
    boundPath: bound['path'],
    ...(isObject(drill) && typeof drill['dependency'] === 'string' && typeof drill['path'] === 'string'
      ? { faultDrill: { dependency: drill['dependency'], path: drill['path'] } }
      : {}),
  };
}

/** The catalog in an index, or null when it is not an index this harness understands. */
export function readCatalog(index: unknown): Catalog | null {
  if (!isObject(index) || !Array.isArray(index['endpoints']) || !isObject(index['modes'])) return null;
  const workloads = index['endpoints']
    .filter(
      (e) =>
        isObject(e) &&
        typeof e['path'] === 'string' &&
        e['path'].endsWith('/:mode') &&
        e['path'] !== '/:workload/:mode',
    )
    .map(readEntry);
  if (workloads.length === 0 || workloads.some((w) => w === null)) return null;
  return { modes: Object.keys(index['modes']), workloads: workloads as CatalogEntry[] };
}

/** Fetches and reads the index of the server at `origin`; null when it has none this harness understands. */
export async function fetchCatalog(origin: string): Promise<Catalog | null> {
  const index: unknown = await httpGet(`${origin}/`, 10_000)
    .then((res) => res.json())
    .catch(() => undefined);
  return readCatalog(index);
}
