import { SourceMap, type SourceMapPayload } from 'node:module';
import { pathToFileURL } from 'node:url';

/** The bits of vitest's worker state that hold a test file's transformed code (and its inline source map). */
interface VitestState {
  evaluatedModules?: { getModuleById?(id: string): { meta?: { code?: unknown } } | undefined };
}

const PREFIX = '//# sourceMappingURL=data:application/json;base64,';
const maps = new WeakMap<object, SourceMap | null>();

/**
 * The source map of a file vitest's module runner evaluated: it runs the transformed code with `vm`
 * under the file's own name, with the map inlined at its end, where Node's source-map cache never sees
 * it. Without it a culprit's line in a test file is the transformed code's (vitest moves imports up).
 */
export function vitestSourceMap(path: string): SourceMap | undefined {
  const state = (globalThis as { __vitest_worker__?: VitestState }).__vitest_worker__;
  const node = state?.evaluatedModules?.getModuleById?.(path);
  if (!node) return undefined;
  if (!maps.has(node)) {
    const code = node.meta?.code;
    const start = typeof code === 'string' ? code.lastIndexOf(PREFIX) : -1;
    let map: SourceMap | null = null;
    if (typeof code === 'string' && start !== -1) {
      const end = code.indexOf('\n', start);
      const data = code.slice(start + PREFIX.length, end === -1 ? code.length : end).trim();
      try {
        const payload = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as SourceMapPayload;
        // Its sources are relative to the file (vite writes `blocks.test.js`): made absolute, they are shown as every other file is.
        const base = pathToFileURL(path);
        map = new SourceMap({ ...payload, sources: payload.sources.map((source) => new URL(source, base).href) });
      } catch {
        map = null;
      }
    }
    maps.set(node, map);
  }
  return maps.get(node) ?? undefined;
}
