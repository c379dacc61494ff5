import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '../../loadtest/defaults.ts';
import { OptionsError, parseOptions } from '../../loadtest/cli/options.ts';

describe('parseOptions', () => {
  it('fills in the default matrix with no arguments', () => {
    expect(parseOptions([])).toEqual(DEFAULT_OPTIONS);
  });

  it('reads lists, sweeps, parameters and flags', () => {
    const options = parseOptions([
      '--workloads', 'hash,fetch', '--modes', 'blocking,worker', '--connections', '10,50,100', '--duration', '10',
      '--warmup', '0', '--params', 'fetch.delay=100,hash.cost=50000,db.sleep=20', '--repeat', '3', '--workers', '1,2,4',
      '--out', 'x', '--json', '--threshold', 'fetch.async.p99<300', '--threshold', 'hash.worker.rps>=1.5*hash.blocking.rps',
    ]);
    expect(options).toMatchObject({
      workloads: ['hash', 'fetch'],
      modes: ['blocking', 'worker'],
      connections: [10, 50, 100],
      duration: 10,
      warmup: 0,
      repeat: 3,
      workers: [1, 2, 4],
      out: 'x',
      json: true,
      thresholds: ['fetch.async.p99<300', 'hash.worker.rps>=1.5*hash.blocking.rps'],
    });
    if (options === 'help') throw new Error('unexpected help');
    // Only what --params changes: the rest, and whether the server accepts it, comes from the server.
    expect(options.params).toEqual({ fetch: { delay: '100' }, hash: { cost: '50000' }, db: { sleep: '20' } });
  });

  it('reads --workload files, repeatable or comma-separated, relative to where the command was typed', () => {
    expect(parseOptions(['--workload', './a.ts', '--workload', 'b.ts,/abs/c.ts'], '/home/me')).toMatchObject({ workloadFiles: ['/home/me/a.ts', '/home/me/b.ts', '/abs/c.ts'], workloads: [] });
    expect(parseOptions(['--workload', 'a.ts', '--workloads', 'a,hash'], '/home/me')).toMatchObject({ workloadFiles: ['/home/me/a.ts'], workloads: ['a', 'hash'] });
  });

  it('reads --url as an origin and --rate as the open model', () => {
    const options = parseOptions(['--url', 'http://other-host:3000/ignored', '--rate', '100,200']);
    expect(options).toMatchObject({ url: 'http://other-host:3000', rates: [100, 200] });
  });

  it('takes --threshold more than once, and --faults with only the options it uses', () => {
    expect(parseOptions(['--threshold', 'fetch.async.p99<300', '--threshold', 'db.async.p99<300'])).toMatchObject({ thresholds: ['fetch.async.p99<300', 'db.async.p99<300'] });
    expect(parseOptions(['--faults', '--rate', '20', '--duration', '3', '--out', 'x', '--json'])).toMatchObject({ faults: true, rates: [20], duration: 3 });
  });

  it('answers help for --help', () => {
    expect(parseOptions(['--help'])).toBe('help');
  });

  it.each([
    [['--workloads', 'db,Sleep'], /--workloads: "Sleep" is not a name \(lowercase letters, digits and dashes; curl <server>\/ lists them\)/],
    [['--modes', 'a b'], /--modes: "a b" is not a name/],
    [['--workload', 'a.ts,'], /--workload: an empty path/],
    [['--url', 'http://x:3000', '--workload', 'a.ts'], /--workload loads files into the server the harness starts; with --url, start that server with WORKLOADS=<files> instead/],
    [['--connections', '0'], /--connections: 0 is out of range \(1\.\.1000\)/],
    [['--connections', '10,abc'], /--connections: "abc" is not a whole number/],
    [['--duration', '1.5'], /--duration: "1\.5" is not a whole number \(1\.\.600\)/],
    [['--params', 'fetch.delay'], /--params: "fetch.delay" is not of the form workload.param=value/],
    [['--params', 'db.sleep=1,db.sleep=2'], /--params: db\.sleep is given more than once/],
    [['--workloads', 'db', '--workloads', 'fetch'], /--workloads is given more than once; give one comma-separated list instead/],
    [['--duration', '1', '--duration', '2'], /--duration is given more than once/],
    [['--faults', '--workloads', 'hash'], /--faults runs a fixed drill .* not --workloads$/],
    [['--faults', '--workload', 'a.ts'], /--faults runs a fixed drill .* not --workload$/],
    [['--faults', '--modes', 'async', '--connections', '5'], /not --modes, --connections$/],
    [['--faults', '--threshold', 'db.async.p99<100'], /not --threshold \(the fault run evaluates no thresholds\)/],
    [['--faults', '--rate', '10,20'], /--faults takes one --rate value, not a list/],
    [['--url', 'ftp://x'], /--url: only http: and https:/],
    [['--url', 'http://x:3000', '--workers', '2'], /--workers restarts the server per value, so it cannot be combined with --url/],
    [['--connections', '5', '--rate', '10'], /exclude each other/],
    [['--nope'], /Unknown option '--nope'/],
    [['stray'], /positional/i],
    [['--faults', '--url', 'http://x:1'], /--faults runs a fixed drill .* not --url/],
  ])('refuses %j with a clear message', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(OptionsError);
    expect(() => parseOptions(argv)).toThrow(message);
  });
});
