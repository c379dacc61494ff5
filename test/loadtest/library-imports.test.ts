import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { typeScriptLoaderArgs } from '../../lib/loader-args.ts';

const run = promisify(execFile);

/**
 * Imports the library in a process of its own and prints every project file Node loaded for it
 * (module.registerHooks sees each resolution, whichever loader compiles the file).
 */
const PROBE = `
import { registerHooks } from 'node:module';
const root = ${JSON.stringify(pathToFileURL(resolve('.')).href)} + '/';
const loaded = new Set();
registerHooks({
  resolve(specifier, context, next) {
    const answer = next(specifier, context);
    if (answer.url.startsWith(root) && !answer.url.includes('/node_modules/')) loaded.add(answer.url.slice(root.length));
    return answer;
  },
});
await import(${JSON.stringify(pathToFileURL(resolve('loadtest/index.ts')).href)});
console.log(JSON.stringify([...loaded]));
`;

it('importing the harness library loads no server/ file and not the embedded PostgreSQL (db/)', async () => {
  const { stdout } = await run(process.execPath, [...typeScriptLoaderArgs(), '--input-type=module', '-e', PROBE]);
  const loaded: string[] = JSON.parse(stdout);
  expect(loaded).toContain('loadtest/stack/stack.ts');
  expect(loaded.filter((file) => file.startsWith('server/') || file.startsWith('db/'))).toEqual([]);
});
