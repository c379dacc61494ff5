/**
 * How the user's command gets looplab's stall-blame preload: the package's compiled preload (the
 * repo's TypeScript one, behind its loader, when run from source), so it loads from any project with no
 * loader of the user's. A `node …` command gets it on its own command line and nothing else does; any
 * other command (`npx tsx server.ts`, a script) gets it in NODE_OPTIONS, which every Node process it
 * starts inherits.
 */
import { basename } from 'node:path';
import { siblingFile, typeScriptLoaderArgs } from '../../lib/loader-args.ts';

/** The stall-blame preload, or with blame off (`--no-blame`) the one that only says where the server listens. */
const PRELOADS = {
  blame: siblingFile(import.meta.url, '../../stall-blame/preload.ts').href,
  'listening only': siblingFile(import.meta.url, '../../stall-blame/listening-preload.ts').href,
} as const;

export type PreloadKind = keyof typeof PRELOADS;

/** The Node flags that load the preload (and, from the repo's sources, the loader it needs first). */
const preloadFlags = (kind: PreloadKind): string[] => [...typeScriptLoaderArgs(), '--import', PRELOADS[kind]];

/** NODE_OPTIONS quotes a value with spaces in double quotes, escaping `"` and `\` with a backslash. */
const quoted = (flag: string) => (/[\s"\\]/.test(flag) ? `"${flag.replace(/["\\]/g, '\\$&')}"` : flag);

const isNode = (program: string) => /^node(\.exe)?$/.test(basename(program)) || program === process.execPath;

/** The program, its arguments and the NODE_OPTIONS that start `command` with the preload loaded. */
export function withPreload(
  command: readonly string[],
  nodeOptions: string | undefined,
  kind: PreloadKind = 'blame',
): { program: string; args: string[]; nodeOptions: string | undefined } {
  const [program = '', ...args] = command;
  if (isNode(program)) return { program, args: [...preloadFlags(kind), ...args], nodeOptions };
  const flags = preloadFlags(kind).map(quoted).join(' ');
  return { program, args, nodeOptions: nodeOptions ? `${nodeOptions} ${flags}` : flags };
}
