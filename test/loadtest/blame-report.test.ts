import { describe, expect, it } from 'vitest';
import { parseOptions, OptionsError } from '../../loadtest/cli/options.ts';
import { blankBlame, type RunBlame } from '../../loadtest/measure/blame-window.ts';
import { blameLine, scenarioBlame } from '../../loadtest/report/blame-line.ts';
import type { HarnessOptions } from '../../loadtest/types.ts';

const run = (blame: Partial<RunBlame>): { blame: RunBlame } => ({
  blame: { ...blankBlame('http://127.0.0.1:1'), stallThresholdMs: 20, windowMs: 5000, ...blame },
});
const line = (frame: string, ms: number, context: string | null = null) => ({
  frame,
  file: 'server/w.ts',
  line: 7,
  context,
  ms,
  share: 0,
});

describe('the blame line under a scenario', () => {
  it('adds the runs up and names the top culprits with ms and share of the blamed time', () => {
    const blame = scenarioBlame({
      runs: [
        run({ stalls: 3, stallMs: 900, culprits: [line('digest', 600, 'pbkdf2Sync'), line('handle', 200)] }),
        run({ stalls: 2, stallMs: 300, cpuWaitMs: 40, culprits: [line('digest', 200, 'pbkdf2Sync')] }),
      ],
    } as never);
    expect(blame).toMatchObject({ windowMs: 10_000, stalls: 5, stallMs: 1200, cpuWaitMs: 40 });
    expect(blameLine('blocking', blame!)).toBe(
      'stall blame, blocking: the loop stalled 1200 ms of 10.0 s (5 stalls over 20 ms), 40.0 ms of it waiting for a CPU — ' +
        'pbkdf2Sync ← digest server/w.ts:7 800 ms 80%, handle server/w.ts:7 200 ms 20%',
    );
  });

  it('says in plain words when there was nothing to blame', () => {
    expect(blameLine('async', scenarioBlame({ runs: [run({})] } as never)!)).toBe(
      'stall blame, async: nothing to blame — the event loop never stalled past 20 ms of 5000 ms',
    );
    expect(
      blameLine('worker', scenarioBlame({ runs: [run({ stalls: 1, stallMs: 30, cpuWaitMs: 30 })] } as never)!),
    ).toBe(
      'stall blame, worker: the loop stalled 30.0 ms of 5000 ms (1 stall over 20 ms), 30.0 ms of it waiting for a CPU — nothing in the code to blame',
    );
    expect(scenarioBlame({ runs: [{ blame: null }] } as never)).toBeNull();
  });
});

describe('blame options', () => {
  const parse = (argv: string[]) => parseOptions(argv) as HarnessOptions;

  it('is on by default with a 20 ms threshold, and --no-blame turns it off', () => {
    expect(parse([])).toMatchObject({ blame: true, stallThresholdMs: 20, blameUrl: undefined });
    expect(parse(['--no-blame']).blame).toBe(false);
    expect(parse(['--stall-threshold', '50']).stallThresholdMs).toBe(50);
    expect(parse(['--url', 'http://127.0.0.1:3000', '--blame-url', 'http://127.0.0.1:9229/']).blameUrl).toBe(
      'http://127.0.0.1:9229',
    );
  });

  it('refuses what it cannot honour, naming the option', () => {
    expect(() => parse(['--stall-threshold', '1'])).toThrow('--stall-threshold: 1 is out of range (2..60000)');
    expect(() => parse(['--blame-url', 'http://127.0.0.1:9229'])).toThrow(OptionsError);
    expect(() => parse(['--blame-url', 'http://127.0.0.1:9229'])).toThrow(
      /--blame-url names the stall-blame endpoint of the server given with --url/,
    );
    expect(() => parse(['--no-blame', '--stall-threshold', '30'])).toThrow(
      '--no-blame turns stall blame off, so it cannot be combined with --stall-threshold',
    );
    expect(() => parse(['--url', 'http://127.0.0.1:3000', '--blame-url', 'ftp://x'])).toThrow(
      '--blame-url: only http: and https: are supported',
    );
  });
});
