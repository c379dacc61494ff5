import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '../../loadtest/defaults.ts';
import { OptionsError, parseOptions } from '../../loadtest/options.ts';

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
    expect(options.params.fetch).toEqual({ delay: '100', bytes: '1024', count: '1' });
    expect(options.params.hash).toEqual({ algo: 'pbkdf2', cost: '50000' });
    expect(options.params.db['sleep']).toBe('20');
  });

  it('reads --url as an origin and --rate as the open model', () => {
    const options = parseOptions(['--url', 'http://other-host:3000/ignored', '--rate', '100,200']);
    expect(options).toMatchObject({ url: 'http://other-host:3000', rates: [100, 200] });
  });

  it('answers help for --help', () => {
    expect(parseOptions(['--help'])).toBe('help');
  });

  it.each([
    [['--workloads', 'db,sleep'], /--workloads: unknown value "sleep"; allowed: db, fetch, hash, cpu/],
    [['--modes', 'threads'], /--modes: unknown value "threads"/],
    [['--connections', '0'], /--connections: 0 is out of range \(1\.\.1000\)/],
    [['--connections', '10,abc'], /--connections: "abc" is not a whole number/],
    [['--duration', '1.5'], /--duration: "1\.5" is not a whole number \(1\.\.600\)/],
    [['--params', 'fetch.delay'], /--params: "fetch.delay" is not of the form workload.param=value/],
    [['--params', 'redis.x=1'], /--params: unknown workload "redis"/],
    [['--url', 'ftp://x'], /--url: only http: and https:/],
    [['--url', 'http://x:3000', '--workers', '2'], /--workers restarts the server per value, so it cannot be combined with --url/],
    [['--connections', '5', '--rate', '10'], /exclude each other/],
    [['--nope'], /Unknown option '--nope'/],
    [['stray'], /positional/i],
    [['--faults', '--url', 'http://x:1'], /--faults starts and stops its own database and upstream/],
  ])('refuses %j with a clear message', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(OptionsError);
    expect(() => parseOptions(argv)).toThrow(message);
  });
});
