import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OptionsError } from '../../loadtest/cli/options-error.ts';
import { prepareRun } from '../../loadtest/cli/prepare.ts';
import { userDirectory } from '../../lib/user-path.ts';

// The user's directory, outside the repo: npx runs the CLI there; `npm --prefix <repo> run loadtest`
// runs it in the repo with INIT_CWD naming it. Either way their relative paths are resolved there.
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'looplab-user-paths-'));
  await writeFile(join(dir, 'old.json'), '{"schema":"looplab-loadtest/1","scenarios":[]}');
  await writeFile(join(dir, 'taken'), 'a file where the reports would go\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const refusal = (args: readonly string[]) =>
  prepareRun(args, {}, dir).then(
    () => 'accepted',
    (err: unknown) => (err instanceof OptionsError ? err.message : Promise.reject(err)),
  );

describe('paths on the command line are the user’s, resolved where they typed the command', () => {
  it('--compare reads the file in the user’s directory, not in the package’s', async () => {
    // Found and read (then refused for its schema), not ENOENT in the repo.
    expect(await refusal(['--compare', 'old.json', '--out', '/nonexistent/never-written'])).toMatch(
      /^--compare: old\.json was written by an older looplab/,
    );
  });

  it('--out is checked in the user’s directory', async () => {
    expect(await refusal(['--out', 'taken'])).toBe(
      `--out: ${join(dir, 'taken')} is not a directory, so taken cannot hold the reports`,
    );
  });

  it('the user’s directory is INIT_CWD when npm names it, else the working directory', () => {
    expect(userDirectory({ INIT_CWD: '/home/me/project' })).toBe('/home/me/project');
    expect(userDirectory({})).toBe(process.cwd());
  });
});
