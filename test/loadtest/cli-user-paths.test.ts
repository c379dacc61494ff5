import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../loadtest/cli/exit-codes.ts';
import { runCli, SIDE_BY_SIDE_GUARD_MS, STACK_LINE } from './run-cli.ts';

// The user's directory, outside the repo: `npm --prefix <repo> run loadtest` typed there runs the CLI in
// the repo with INIT_CWD naming it, as npx does in the user's own project with the cwd.
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'looplab-user-paths-'));
  await writeFile(join(dir, 'old.json'), '{"schema":"looplab-loadtest/1","scenarios":[]}');
  await writeFile(join(dir, 'taken'), 'a file where the reports would go\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.concurrent('paths on the command line are the user’s, resolved where they typed the command', () => {
  it(
    '--compare reads the file in the user’s directory',
    async () => {
      const { code, stderr } = await runCli(['--compare', 'old.json', '--out', '/nonexistent/never-written'], {
        env: { ...process.env, INIT_CWD: dir },
      });
      expect(code).toBe(EXIT.usage);
      // Found and read (it is refused for its schema), not ENOENT in the repo.
      expect(stderr).toContain('loadtest: --compare: old.json was written by an older looplab');
      expect(stderr).not.toMatch(STACK_LINE);
    },
    SIDE_BY_SIDE_GUARD_MS,
  );

  it(
    '--out is checked in the user’s directory',
    async () => {
      const { code, stderr } = await runCli(['--out', 'taken'], { env: { ...process.env, INIT_CWD: dir } });
      expect(code).toBe(EXIT.usage);
      expect(stderr).toContain(`loadtest: --out: ${join(dir, 'taken')} is not a directory`);
    },
    SIDE_BY_SIDE_GUARD_MS,
  );
});
