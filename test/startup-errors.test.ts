import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startupScratch, ownStackEnv, runToEnd } from './helpers/processes.ts';

const scratch = startupScratch();

const noStack = (output: string) => expect(output).not.toMatch(/\n\s+at .+:\d+:\d+/);

// One refusal in the fast tier, and the one that shows a failed start stops what it had started; the
// other ports taken and a second looplab on the same data directory are e2e-startup-errors.test.ts's.
describe('a start-up that cannot succeed says why in one line, and leaves nothing running', () => {
  it('PORT already taken', async () => {
    const { code, output } = await runToEnd(await ownStackEnv(scratch.dataDir, { PORT: String(scratch.port) }));
    expect(code).toBe(1);
    expect(output).toContain(
      `looplab: port ${scratch.port} is already in use; choose another with PORT (PORT=0 picks any free port)`,
    );
    noStack(output);
    // The PostgreSQL it had started was stopped again: it no longer holds its data directory.
    expect(existsSync(join(scratch.dataDir, 'postmaster.pid'))).toBe(false);
  }, 90_000);
});
