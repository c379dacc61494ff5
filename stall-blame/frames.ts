import type { Runtime } from 'node:inspector';
import { findSourceMap } from 'node:module';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findOtherSourceMap } from './source-maps.ts';

/** Where stall time went: the first frame in the user's code, and what it was calling when sampled. */
export interface Culprit {
  /** The function's name (`(anonymous)` when it has none), or a V8 pseudo-frame such as `(garbage collector)`. */
  frame: string;
  /** The file, relative to the working directory when inside it; null for native code and pseudo-frames. */
  file: string | null;
  /** 1-based line where the function is defined (after source maps); null when unknown. */
  line: number | null;
  /** The native or library frame it was calling (e.g. `pbkdf2Sync`); null when the time was its own. */
  context: string | null;
}

/** This directory: the profiler's own frames are never blamed on the user. */
const OWN_DIR = fileURLToPath(new URL('.', import.meta.url));

const toPath = (url: string): string | null => {
  if (url.startsWith('file://')) return fileURLToPath(url);
  return url.startsWith('/') ? url : null;
};

/** Code the user wrote: a file on disk, outside node_modules and outside this profiler. */
export function isUserFrame(frame: Runtime.CallFrame): boolean {
  const path = toPath(frame.url);
  return path !== null && !path.includes(`${sep}node_modules${sep}`) && !path.startsWith(OWN_DIR);
}

const isOwnFrame = (frame: Runtime.CallFrame): boolean => toPath(frame.url)?.startsWith(OWN_DIR) ?? false;

/**
 * looplab's own plumbing between a workload and a wait it asks for: the sync bridge's `Atomics.wait`
 * (a blocking fetch or query in blocking mode). Never the line a reader must change, so blame goes up
 * past it to the workload's synchronous call, and the chain down to the wait becomes the context.
 */
const PLUMBING = ['ts', 'js'].map((ext) => fileURLToPath(new URL(`../server/offload/sync-io.${ext}`, import.meta.url)));
const isPlumbing = (frame: Runtime.CallFrame): boolean => {
  const path = toPath(frame.url);
  return path !== null && PLUMBING.includes(path);
};
const isWorkloadFrame = (frame: Runtime.CallFrame): boolean => isUserFrame(frame) && !isPlumbing(frame);

const displayPath = (path: string): string => {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
};

/**
 * The function's own file and line, through the source map when the loader left one (tsx does, and Node
 * finds it while source maps are enabled), so TypeScript is blamed by its own lines.
 */
function locate(frame: Runtime.CallFrame): { file: string | null; line: number | null } {
  const path = toPath(frame.url);
  if (frame.lineNumber < 0) return { file: path === null ? frame.url || null : displayPath(path), line: null };
  if (path === null) return { file: frame.url || null, line: frame.lineNumber + 1 };
  const map = findSourceMap(frame.url) ?? findSourceMap(path) ?? findOtherSourceMap(path);
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
  if (entry && 'originalSource' in entry) {
    return { file: displayPath(toPath(entry.originalSource) ?? entry.originalSource), line: entry.originalLine + 1 };
  }
  return { file: displayPath(path), line: frame.lineNumber + 1 };
}

const nameOf = (frame: Runtime.CallFrame) => frame.functionName || '(anonymous)';

/**
 * Node's own frames that wrap a public call under a generic name, by module: zlib builds every
 * `*Sync` convenience method from one `syncBufferWrapper`, so a stall in `gzipSync` is sampled as
 * `buildReport → syncBufferWrapper`. The context names what the user wrote instead.
 */
const NODE_WRAPPERS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'node:zlib': {
    syncBufferWrapper: 'a zlib *Sync call (gzipSync, deflateSync, brotliCompressSync, …)',
    zlibBufferSync: 'a zlib *Sync call (gzipSync, deflateSync, brotliCompressSync, …)',
  },
  // The RSA one-shots are anonymous arrows made by one factory; sign and verify have other names
  // (each seen in a CPU profile of crypto.publicEncrypt / crypto.sign on Node 20).
  'node:internal/crypto/cipher': {
    '(anonymous)': 'a crypto RSA call (publicEncrypt, privateDecrypt, privateEncrypt, publicDecrypt)',
  },
  'node:internal/crypto/sig': { signOneShot: 'crypto.sign', verifyOneShot: 'crypto.verify' },
};

/** How the frame a culprit called is named in its context: its name, or for a Node wrapper what it wraps. */
const contextOf = (frame: Runtime.CallFrame): string => NODE_WRAPPERS[frame.url]?.[nameOf(frame)] ?? nameOf(frame);

const isLibraryFrame = (frame: Runtime.CallFrame): boolean =>
  toPath(frame.url)?.includes(`${sep}node_modules${sep}`) ?? false;
const isNodeFrame = (frame: Runtime.CallFrame): boolean => frame.url.startsWith('node:');

/**
 * The culprit of a sample whose stack is `stack` (root first, leaf last): the deepest frame in the user's
 * code, with the frame it called as context. Without one, the deepest library frame (node_modules), then
 * the deepest frame of Node's own JavaScript, the same way; without any, the leaf itself — V8's
 * `(garbage collector)` and `(program)`, or a native function. Null for an idle loop and for the
 * profiler's own work (a stack whose deepest frame of this profiler is below its deepest user frame).
 */
export function culpritOf(stack: readonly Runtime.CallFrame[]): Culprit | null {
  const leaf = stack.at(-1);
  if (!leaf || leaf.functionName === '(idle)' || leaf.functionName === '(root)') return null;
  // The profiler's own work is never blamed; but the user's code that it calls (a block run by
  // expectNoStall) is the user's: only an own frame deeper than every user frame makes a sample ours.
  if (stack.findLastIndex(isOwnFrame) > stack.findLastIndex(isUserFrame)) return null;
  for (const wanted of [isWorkloadFrame, isUserFrame, isLibraryFrame, isNodeFrame]) {
    for (let i = stack.length - 1; i >= 0; i -= 1) {
      const frame = stack[i] as Runtime.CallFrame;
      if (!wanted(frame)) continue;
      const beneath = stack[i + 1];
      const below = stack.slice(i + 1);
      // Through looplab's plumbing: the whole chain from the wait up, as `wait ← call ← fetch`.
      if (wanted === isWorkloadFrame && below.some(isPlumbing)) {
        const chain = below.filter((f, j) => isPlumbing(f) || j === below.length - 1).map(contextOf);
        return {
          frame: nameOf(frame),
          ...locate(frame),
          context: `${chain.reverse().join(' ← ')} (looplab's sync bridge)`,
        };
      }
      return { frame: nameOf(frame), ...locate(frame), context: beneath ? contextOf(beneath) : null };
    }
  }
  return { frame: nameOf(leaf), ...locate(leaf), context: null };
}
