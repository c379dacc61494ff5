import { pathToFileURL } from 'node:url';
import { BUILT_IN_WORKLOADS, createRegistry, type Registry } from './registry.ts';
import { resolveWorkload, WorkloadDefinitionError } from './resolve.ts';
import type { Workload } from './workload.ts';

/**
 * First path segments the app answers itself (ops-routes.ts): a workload of that name would hide
 * them, or they it.
 */
export const RESERVED_NAMES: readonly string[] = ['health', 'ready', 'metrics'];

/** A WORKLOADS file that cannot be used: the file, the field, what is wrong. One line. */
export class WorkloadFileError extends Error {
  override name = 'WorkloadFileError';
  readonly file: string;
  readonly field: string | undefined;
  constructor(file: string, field: string | undefined, problem: string) {
    super(`WORKLOADS: ${file}: ${field ? `${field}: ` : ''}${problem}`);
    this.file = file;
    this.field = field;
  }
}

const oneLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';

/**
 * Imports one file with Node's own loader and returns its default export: JavaScript (ESM or CommonJS) or
 * TypeScript, which Node ≥ 22.18 strips itself. No TypeScript loader: the installed package runs on the
 * user's Node with nothing of ours between it and their file.
 */
async function importDefault(file: string): Promise<unknown> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    throw new WorkloadFileError(file, undefined, `failed to load: ${oneLine(err)}`);
  }
  let value = mod['default'];
  // A CommonJS file that a compiler wrote from ES modules (`exports.__esModule`) has its default one level down.
  if (typeof value === 'object' && value !== null && (value as { __esModule?: unknown }).__esModule === true)
    value = (value as { default?: unknown }).default;
  if (value === undefined) {
    throw new WorkloadFileError(
      file,
      'default export',
      'missing: the file must `export default` a workload definition (a plain object, or defineWorkload({...}))',
    );
  }
  return value;
}

function resolveFile(definition: unknown, file: string): Workload {
  try {
    return resolveWorkload(definition, file);
  } catch (err) {
    if (err instanceof WorkloadDefinitionError)
      throw new WorkloadFileError(file, err.field, err.message.slice(err.field.length + 2));
    // Something in the definition threw while it was checked (a `check` or `loadtest` that throws).
    throw new WorkloadFileError(file, undefined, `threw while it was checked: ${oneLine(err)}`);
  }
}

/**
 * Loads the WORKLOADS files (absolute paths), checks each, and returns the built-ins plus them. The
 * server does this in its main thread before it starts anything, and every worker thread again.
 * @throws WorkloadFileError for the first file that cannot be used.
 */
export async function loadWorkloads(files: readonly string[]): Promise<Registry> {
  const loaded: Workload[] = [];
  const owner = new Map<string, string>(BUILT_IN_WORKLOADS.map((w) => [w.name, 'the built-in workload of that name']));
  for (const name of RESERVED_NAMES) owner.set(name, `the route /${name}`);
  for (const file of files) {
    const workload = resolveFile(await importDefault(file), file);
    const taken = owner.get(workload.name);
    if (taken) throw new WorkloadFileError(file, 'name', `"${workload.name}" clashes with ${taken}`);
    owner.set(workload.name, file);
    loaded.push(workload);
  }
  return createRegistry(loaded);
}

/**
 * {@link loadWorkloads} for an entry point: a bad file is one line on stderr and exit 1, before anything
 * has been started (the server, a cluster's primary and each of its processes all load the same files).
 */
export async function loadWorkloadsOrExit(files: readonly string[]): Promise<Registry> {
  try {
    return await loadWorkloads(files);
  } catch (err) {
    if (!(err instanceof WorkloadFileError)) throw err;
    console.error(`looplab: ${err.message}`);
    process.exit(1);
  }
}
