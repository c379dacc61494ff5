/**
 * The gate's optional list of synchronous calls (`looplab gate --sync-io`): the fs, crypto, zlib and
 * child_process `*Sync` calls a thread makes after start-up, even when each is too short to stall the
 * loop past the threshold. Node's `--trace-sync-io` reports the same calls, but it prints a stack per call
 * from C++ straight to stderr, where no preload can count them or tell the project's calls from the
 * runner's; so each public `*Sync` function is wrapped instead.
 *
 * "After start-up" is Node's meaning: from the end of the first turn of the event loop, so the reads a
 * program makes while it loads are not listed. A call is listed under the project's frame that made it
 * (the first frame outside node_modules and Node itself); calls with no such frame — the runner's own
 * reads — are not counted. The cost is a stack capture per `*Sync` call after start-up, and none before.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import type { Runtime } from 'node:inspector';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { culpritOf } from '../frames.ts';
import { isProjectCode } from './project-code.ts';

/** The modules whose `*Sync` functions are watched: the calls `--trace-sync-io` reports. */
export const SYNC_IO_MODULES = ['fs', 'crypto', 'zlib', 'child_process'] as const;

/** The calls of one API from one place in the project's code, in one thread. */
export interface SyncCall {
  /** `fs.readFileSync`, `crypto.pbkdf2Sync`, … */
  api: string;
  frame: string;
  file: string;
  /** 1-based line of the call (after source maps where the file has one). */
  line: number | null;
  count: number;
  /** Time inside the calls, in ms. */
  ms: number;
}

const STACK_DEPTH = 40;

/** The caller's stack, root first, as the profiler's frames are, so that {@link culpritOf} can read it. */
function callerStack(below: (...args: never[]) => unknown): Runtime.CallFrame[] {
  const holder: { stack?: NodeJS.CallSite[] } = {};
  const { prepareStackTrace, stackTraceLimit } = Error;
  Error.prepareStackTrace = (_, sites) => sites;
  Error.stackTraceLimit = STACK_DEPTH;
  try {
    Error.captureStackTrace(holder, below);
    const sites = holder.stack ?? [];
    return sites
      .map((site) => {
        const file = site.getFileName() ?? '';
        return {
          functionName: site.getFunctionName() ?? '',
          scriptId: '',
          url: file.startsWith('/') ? pathToFileURL(file).href : file,
          lineNumber: (site.getLineNumber() ?? 0) - 1,
          columnNumber: (site.getColumnNumber() ?? 0) - 1,
        };
      })
      .reverse();
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * Wraps every `*Sync` function of {@link SYNC_IO_MODULES} in this thread, for CommonJS callers and ESM
 * named imports alike, and returns what has been called so far. `onFirstChange` is told of the first call
 * since the last {@link markSeen}, so that the caller can write the calls out soon.
 */
export function watchSyncCalls(onFirstChange: () => void): {
  calls(): SyncCall[];
  readonly changed: boolean;
  markSeen(): void;
} {
  const require = createRequire(import.meta.url);
  const calls = new Map<string, SyncCall>();
  let started = false;
  let inside = false;
  let changed = false;
  // Node's "after start-up": once the first turn of the loop is over.
  setImmediate(() => {
    started = true;
  }).unref();

  for (const name of SYNC_IO_MODULES) {
    const module = require(`node:${name}`) as Record<string, unknown>;
    for (const key of Object.keys(module)) {
      const original = module[key];
      if (!key.endsWith('Sync') || typeof original !== 'function') continue;
      const api = `${name}.${key}`;
      const wrapped = function (this: unknown, ...args: unknown[]) {
        // A *Sync call inside another (cpSync reads through statSync) is part of the outer one.
        if (!started || inside) return Reflect.apply(original, this, args);
        const culprit = culpritOf(callerStack(wrapped));
        if (!isProjectCode(culprit)) return Reflect.apply(original, this, args);
        inside = true;
        const start = performance.now();
        try {
          return Reflect.apply(original, this, args);
        } finally {
          inside = false;
          const key = `${api}\u0000${culprit.file}\u0000${culprit.line}\u0000${culprit.frame}`;
          const call = calls.get(key) ?? {
            api,
            frame: culprit.frame,
            file: culprit.file,
            line: culprit.line,
            count: 0,
            ms: 0,
          };
          call.count += 1;
          call.ms += performance.now() - start;
          calls.set(key, call);
          if (!changed) {
            changed = true;
            onFirstChange();
          }
        }
      };
      Object.defineProperty(wrapped, 'name', { value: key });
      module[key] = wrapped;
    }
  }
  // `import { readFileSync } from 'node:fs'` binds to the module's exports as they are now.
  syncBuiltinESMExports();
  return {
    calls: () => [...calls.values()].map((c) => ({ ...c, ms: Math.round(c.ms * 1000) / 1000 })),
    get changed() {
      return changed;
    },
    markSeen() {
      changed = false;
    },
  };
}
