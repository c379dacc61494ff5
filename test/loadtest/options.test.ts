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
    expect(options.params.fetch).toEqual({ delay: '100', bytes: '1024', count: '1' });
    expect(options.params.hash).toEqual({ algo: 'pbkdf2', cost: '50000' });
    expect(options.params.db['sleep']).toBe('20');
  });

  it('reads --url as an origin and --rate as the open model', () => {
    const options = parseOptions(['--url', 'http://other-host:3000/ignored', '--rate', '100,200']);
    expect(options).toMatchObject({ url: 'http://other-host:3000', rates: [100, 200] });
  });

  it('takes --threshold more than once, and --faults with only the options it uses', () => {
    expect(parseOptions(['--threshold', 'fetch.async.p99<300', '--threshold', 'db.async.p99<300'])).toMatchObject({ thresholds: ['fetch.async.p99<300', 'db.async.p99<300'] });
    expect(parseOptions(['--faults', '--rate', '20', '--duration', '3', '--out', 'x', '--json'])).toMatchObject({ faults: true, rates: [20], duration: 3 });
  });

  it('accepts parameters the server accepts, at the edges of their ranges', () => {
    const options = parseOptions(['--params', 'db.queries=100,db.sleep=300,hash.algo=scrypt,hash.cost=1024,cpu.task=primes,cpu.n=20000000']);
    if (options === 'help') throw new Error('unexpected help');
    expect(options.params.db).toEqual({ queries: '100', sleep: '300' });
    expect(options.params.hash).toEqual({ algo: 'scrypt', cost: '1024' });
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
    [['--params', 'fetch.url=http://x'], /--params: fetch: unknown parameter "url"; known parameters: fetch\.delay, fetch\.bytes, fetch\.count/],
    [['--params', 'db.queries=100,db.sleep=400'], /--params: db\.queries=100,db\.sleep=400: the server would refuse it — queries × sleep must not exceed 30000 ms; sleep allowed: whole number 0\.\.300 ms for queries=100/],
    [['--params', 'fetch.delay=20000'], /--params: fetch\.delay=20000,.*"delay" is out of range; delay allowed: whole number 0\.\.10000 ms/],
    [['--params', 'fetch.delay=1e3'], /"delay" must be plain decimal digits; delay allowed: whole number 0\.\.10000 ms/],
    [['--params', 'fetch.count=100,fetch.delay=1000'], /count × delay must not exceed 30000 ms; count allowed: whole number 1\.\.30 for delay=1000/],
    [['--params', 'hash.algo=scrypt,hash.cost=1000'], /"cost" is out of range for algo scrypt; cost allowed: power of two 1024\.\.131072/],
    [['--params', 'hash.algo=md5'], /"algo" must be one of the listed values; algo allowed: pbkdf2 \| scrypt \| sha256/],
    [['--params', 'cpu.task=primes,cpu.n=30000000'], /"n" is out of range for task primes; n allowed: whole number 0\.\.20000000/],
    [['--params', 'db.sleep=1,db.sleep=2'], /--params: db\.sleep is given more than once/],
    [['--workloads', 'db', '--workloads', 'fetch'], /--workloads is given more than once; give one comma-separated list instead/],
    [['--duration', '1', '--duration', '2'], /--duration is given more than once/],
    [['--faults', '--workloads', 'hash'], /--faults runs a fixed drill .* not --workloads$/],
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
