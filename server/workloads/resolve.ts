import { parseParams, type ParamSpec, type ParamSpecs } from '../../lib/params.ts';
import { HttpError } from '../../lib/http-error.ts';
import { MODES, type Mode } from '../../contract/modes.ts';
import type {
  BoundModel,
  FaultDrillUse,
  ParamProblem,
  ThreadClients,
  Workload,
  WorkloadDefinition,
  WorkResult,
} from './workload.ts';

/** A workload definition that cannot be used: which field, and what is wrong with it. */
export class WorkloadDefinitionError extends Error {
  override name = 'WorkloadDefinitionError';
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.field = field;
  }
}

const NAME = /^[a-z][a-z0-9-]{0,39}$/;
const FORMS = ['blocking', 'async', 'inWorker'] as const;
const DEPENDENCIES = ['database', 'upstream'];

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** Reads a field; a getter that throws is a problem of that field, not a crash of the loader. */
function read(obj: Obj, key: string, field: string): unknown {
  try {
    return obj[key];
  } catch (err) {
    throw new WorkloadDefinitionError(field, `throws when read: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function resolveParam(name: string, raw: unknown): ParamSpec {
  const field = `params.${name}`;
  if (!isObject(raw))
    throw new WorkloadDefinitionError(
      field,
      "must be an object { kind: 'int', min, max, default } or { kind: 'enum', values, default }",
    );
  const doc = typeof raw['doc'] === 'string' ? raw['doc'] : '';
  if (raw['kind'] === 'enum') {
    const values = raw['values'];
    if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string' && v !== '')) {
      throw new WorkloadDefinitionError(`${field}.values`, 'must be a non-empty list of words');
    }
    if (typeof raw['default'] !== 'string' || !values.includes(raw['default'])) {
      throw new WorkloadDefinitionError(`${field}.default`, `must be one of ${values.join(' | ')}`);
    }
    return { kind: 'enum', values, default: raw['default'], doc };
  }
  if (raw['kind'] !== 'int') throw new WorkloadDefinitionError(`${field}.kind`, "must be 'int' or 'enum'");
  const { min, max } = raw;
  if (!isInt(min) || !isInt(max) || min < 0 || min > max) {
    throw new WorkloadDefinitionError(
      `${field}.min/max`,
      'must be whole numbers with 0 <= min <= max (the range of the parameter)',
    );
  }
  if (!isInt(raw['default']) || raw['default'] < min || raw['default'] > max) {
    throw new WorkloadDefinitionError(`${field}.default`, `must be a whole number in ${min}..${max}`);
  }
  const unit = typeof raw['unit'] === 'string' ? { unit: raw['unit'] } : {};
  const defaultBy = isObject(raw['defaultBy'])
    ? { defaultBy: raw['defaultBy'] as { param: string; values: Record<string, number> } }
    : {};
  return { kind: 'int', min, max, default: raw['default'], doc, ...unit, ...defaultBy };
}

function resolveParams(raw: unknown): ParamSpecs {
  if (!isObject(raw)) throw new WorkloadDefinitionError('params', 'must be an object of parameter specs ({} for none)');
  return Object.freeze(Object.fromEntries(Object.entries(raw).map(([name, spec]) => [name, resolveParam(name, spec)])));
}

/** Query values as the harness sends them; checked with the workload's own rules. */
function resolveQuery(
  raw: unknown,
  field: string,
  params: ParamSpecs,
  check: Workload['check'],
): Record<string, string> {
  if (raw === undefined) raw = {};
  if (!isObject(raw)) throw new WorkloadDefinitionError(field, 'must be an object of query parameters');
  const given = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
  try {
    const values = parseParams(params, new URLSearchParams(given));
    const problem = check(values);
    if (problem) throw new WorkloadDefinitionError(field, `${problem.error} (${problem.param}: ${problem.allowed})`);
    // Every parameter, defaults included: the harness shows and sends exactly these.
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));
  } catch (err) {
    if (err instanceof HttpError)
      throw new WorkloadDefinitionError(field, `${err.message} (allowed: ${String(err.details['allowed'])})`);
    throw err;
  }
}

function resolveBound(raw: unknown): BoundModel | undefined {
  if (raw === undefined) return undefined;
  if (!isObject(raw))
    throw new WorkloadDefinitionError(
      'bound',
      "must be { kind: 'wait', waits(params, facts) } or { kind: 'cpu', libuv?(params) }",
    );
  if (raw['kind'] === 'wait') {
    if (typeof raw['waits'] !== 'function')
      throw new WorkloadDefinitionError('bound.waits', 'must be a function (params, facts) => { <mode>: { ms } }');
    return raw as unknown as BoundModel;
  }
  if (raw['kind'] === 'cpu') {
    if (raw['libuv'] !== undefined && typeof raw['libuv'] !== 'function')
      throw new WorkloadDefinitionError('bound.libuv', 'must be a function (params) => boolean');
    return raw as unknown as BoundModel;
  }
  throw new WorkloadDefinitionError('bound.kind', "must be 'wait' or 'cpu'");
}

function resolveFaultDrill(raw: unknown, params: ParamSpecs, check: Workload['check']): FaultDrillUse | undefined {
  if (raw === undefined) return undefined;
  if (!isObject(raw) || typeof raw['dependency'] !== 'string' || !DEPENDENCIES.includes(raw['dependency'])) {
    throw new WorkloadDefinitionError('faultDrill.dependency', `must be one of ${DEPENDENCIES.join(', ')}`);
  }
  return {
    dependency: raw['dependency'] as FaultDrillUse['dependency'],
    params: resolveQuery(raw['params'], 'faultDrill.params', params, check),
  };
}

/**
 * Checks a workload file's default export (or a built-in) and completes it: which modes exist, what
 * the worker mode runs, the default load-test parameters with every value present.
 * @throws WorkloadDefinitionError naming the field.
 */
export function resolveWorkload(raw: unknown, source: string): Workload {
  if (!isObject(raw))
    throw new WorkloadDefinitionError(
      'default export',
      `must be an object (a workload definition), got ${Array.isArray(raw) ? 'an array' : typeof raw}`,
    );
  const def = raw as unknown as WorkloadDefinition;
  const name = read(raw, 'name', 'name');
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new WorkloadDefinitionError(
      'name',
      `must be 1-40 lowercase letters, digits or dashes starting with a letter (it is a path segment), got ${JSON.stringify(name)}`,
    );
  }
  const summary = read(raw, 'summary', 'summary');
  if (typeof summary !== 'string' || summary.trim() === '')
    throw new WorkloadDefinitionError('summary', 'must be a sentence saying what the workload does');
  const forms: Record<string, unknown> = {};
  for (const form of FORMS) {
    forms[form] = read(raw, form, form);
    if (forms[form] !== undefined && typeof forms[form] !== 'function')
      throw new WorkloadDefinitionError(form, `must be a function, got ${typeof forms[form]}`);
  }
  if (FORMS.every((f) => forms[f] === undefined)) {
    throw new WorkloadDefinitionError(
      'blocking/async/inWorker',
      'no form given: a workload needs a synchronous `blocking`, an `async` or an `inWorker` function',
    );
  }
  const params = resolveParams(read(raw, 'params', 'params'));
  const checkFn = read(raw, 'check', 'check');
  if (checkFn !== undefined && typeof checkFn !== 'function')
    throw new WorkloadDefinitionError('check', 'must be a function (params) => problem | undefined');
  const check = (values: Parameters<Workload['check']>[0]): ParamProblem | undefined =>
    def.check?.(values) ?? undefined;

  const blocking = def.blocking
    ? (p: Parameters<Workload['check']>[0], io: Parameters<NonNullable<Workload['blocking']>>[1]) =>
        def.blocking!(p, io)
    : undefined;
  const async = def.async
    ? (p: Parameters<Workload['check']>[0], io: Parameters<NonNullable<Workload['async']>>[1], signal: AbortSignal) =>
        def.async!(p, io, signal)
    : undefined;
  const worker = workerForm(def);
  const available: Record<Mode, boolean> = {
    blocking: blocking !== undefined,
    async: async !== undefined,
    worker: worker !== undefined,
  };
  const modes = MODES.filter((m) => available[m]);

  const docs = read(raw, 'modes', 'modes');
  if (docs !== undefined && !isObject(docs))
    throw new WorkloadDefinitionError('modes', 'must be an object of descriptions by mode');
  for (const [mode, text] of Object.entries(docs ?? {})) {
    if (!(modes as readonly string[]).includes(mode))
      throw new WorkloadDefinitionError(
        `modes.${mode}`,
        `describes a mode this workload does not have (it has ${modes.join(', ')})`,
      );
    if (typeof text !== 'string') throw new WorkloadDefinitionError(`modes.${mode}`, 'must be a string');
  }
  const describe = Object.fromEntries(modes.map((m) => [m, (docs?.[m] as string | undefined) ?? defaultDoc(def)[m]]));

  const loadtest = read(raw, 'loadtest', 'loadtest');
  if (loadtest !== undefined && !isObject(loadtest))
    throw new WorkloadDefinitionError('loadtest', 'must be an object { params }');
  return Object.freeze({
    name,
    summary,
    params,
    source,
    modes,
    describe,
    check,
    ...(blocking ? { blocking } : {}),
    ...(async ? { async } : {}),
    ...(worker ? { worker } : {}),
    loadtestParams: resolveQuery(loadtest?.['params'], 'loadtest.params', params, check),
    bound: resolveBound(read(raw, 'bound', 'bound')),
    faultDrill: resolveFaultDrill(read(raw, 'faultDrill', 'faultDrill'), params, check),
  });
}

/** What a mode does when the definition does not say: which of its forms runs where. */
const defaultDoc = (def: WorkloadDefinition): Record<Mode, string> => ({
  blocking: 'the synchronous form, on the event-loop thread',
  async: 'the async form, awaited on the event loop',
  worker: `the ${def.inWorker ? 'in-worker' : def.blocking ? 'synchronous' : 'async'} form inside a pool worker thread`,
});

/** The in-worker form, else the synchronous form run in the thread, else the async form run there. */
function workerForm(def: WorkloadDefinition): Workload['worker'] {
  if (def.inWorker) return (params, clients, signal) => def.inWorker!(params, clients.io, signal);
  if (def.blocking)
    return async (params, clients: ThreadClients): Promise<WorkResult> => def.blocking!(params, clients.syncIo);
  if (def.async)
    return (params, clients, signal) => def.async!(params, clients.io, signal ?? new AbortController().signal);
  return undefined;
}
