import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, runTarget, type HarnessOptions } from '../../loadtest/index.ts';
import { runSeconds } from '../../loadtest/cli/eta.ts';
import type { Progress } from '../../loadtest/scenario-loop.ts';

/** The scenario loop the matrix and --target share, seen through --target: plain HTTP, no looplab server. */
let server: Server;
let url = '';
beforeAll(async () => {
  server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('runs each scenario --repeat times in plan order, announcing each run with the seconds left for the rest', async () => {
  const options: HarnessOptions & { target: string } = {
    ...DEFAULT_OPTIONS,
    target: url,
    duration: 1,
    warmup: 0,
    repeat: 2,
    connections: [1, 2],
  };
  const seen: Progress[] = [];
  const results = await runTarget(options, (p) => seen.push(p));

  expect(seen.map((p) => `${p.index}/${p.total} c=${p.scenario.connections} #${p.repeat}`)).toEqual([
    '1/2 c=1 #1',
    '1/2 c=1 #2',
    '2/2 c=2 #1',
    '2/2 c=2 #2',
  ]);
  // Four runs of the same expected length (eta.ts): each announcement counts itself and the runs after it.
  const perRun = runSeconds(options, { rate: undefined }).expected;
  expect(seen.map((p) => p.secondsLeft)).toEqual([4, 3, 2, 1].map((runs) => Math.round(runs * perRun)));
  expect(results.scenarios.map((s) => s.runs.length)).toEqual([2, 2]);
});
