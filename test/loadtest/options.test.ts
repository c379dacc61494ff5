import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '../../loadtest/defaults.ts';
import { OptionsError, parseOptions } from '../../loadtest/cli/options.ts';

describe('parseOptions', () => {
  it('fills in the default matrix with no arguments', () => {
    expect(parseOptions([])).toEqual(DEFAULT_OPTIONS);
  });

  it('reads lists, sweeps, parameters and flags', () => {
    const options = parseOptions([
      '--workloads',
      'hash,fetch',
      '--modes',
      'blocking,worker',
      '--connections',
      '10,50,100',
      '--duration',
      '10',
      '--warmup',
      '0',
      '--params',
      'fetch.delay=100,hash.cost=50000,db.sleep=20',
      '--repeat',
      '3',
      '--workers',
      '1,2,4',
      '--processes',
      '1,2',
      '--out',
      'x',
      '--json',
      '--threshold',
      'fetch.async.p99<300',
      '--threshold',
      'hash.worker.rps>=1.5*hash.blocking.rps',
    ]);
    expect(options).toMatchObject({
      workloads: ['hash', 'fetch'],
      modes: ['blocking', 'worker'],
      connections: [10, 50, 100],
      duration: 10,
      warmup: 0,
      repeat: 3,
      workers: [1, 2, 4],
      processes: [1, 2],
      out: 'x',
      json: true,
      thresholds: ['fetch.async.p99<300', 'hash.worker.rps>=1.5*hash.blocking.rps'],
    });
    if (options === 'help') throw new Error('unexpected help');
    // Only what --params changes: the rest, and whether the server accepts it, comes from the server.
    expect(options.params).toEqual({ fetch: { delay: '100' }, hash: { cost: '50000' }, db: { sleep: '20' } });
  });

  it('reads --workload-file files, repeatable or comma-separated, relative to where the command was typed', () => {
    expect(parseOptions(['--workload-file', './a.ts', '--workload-file', 'b.ts,/abs/c.ts'], '/home/me')).toMatchObject({
      workloadFiles: ['/home/me/a.ts', '/home/me/b.ts', '/abs/c.ts'],
      workloads: [],
    });
    expect(parseOptions(['--workload-file', 'a.ts', '--workloads', 'a,hash'], '/home/me')).toMatchObject({
      workloadFiles: ['/home/me/a.ts'],
      workloads: ['a', 'hash'],
    });
  });

  it('reads --url as an origin and --rate as the open model', () => {
    const options = parseOptions(['--url', 'http://other-host:3000/ignored', '--rate', '100,200']);
    expect(options).toMatchObject({ url: 'http://other-host:3000', rates: [100, 200] });
  });

  it('takes --threshold more than once, and --faults with only the options it uses', () => {
    expect(parseOptions(['--threshold', 'fetch.async.p99<300', '--threshold', 'db.async.p99<300'])).toMatchObject({
      thresholds: ['fetch.async.p99<300', 'db.async.p99<300'],
    });
    expect(parseOptions(['--faults', '--rate', '20', '--duration', '3', '--out', 'x', '--json'])).toMatchObject({
      faults: true,
      rates: [20],
      duration: 3,
    });
  });

  it('reads --generators up to four per core, with an open-model rate or enough connections for each', () => {
    const most = availableParallelism() * 4;
    expect(parseOptions(['--generators', String(most), '--rate', '1'])).toMatchObject({ generators: most, rates: [1] });
    expect(parseOptions(['--generators', '2', '--connections', '2,10'])).toMatchObject({
      generators: 2,
      connections: [2, 10],
    });
    expect(parseOptions([])).toMatchObject({ generators: 1 });
  });

  it('reads --export k6 DIR, with the directory after the format or after --export=k6', () => {
    expect(parseOptions(['--export', 'k6', 'scripts', '--rate', '50'])).toMatchObject({
      export: { format: 'k6', dir: 'scripts' },
      rates: [50],
    });
    expect(parseOptions(['--workloads', 'db', '--export=k6', 'scripts'])).toMatchObject({
      export: { format: 'k6', dir: 'scripts' },
      workloads: ['db'],
    });
    expect(parseOptions([])).toMatchObject({ export: undefined });
  });

  it('answers help for --help', () => {
    expect(parseOptions(['--help'])).toBe('help');
  });

  it.each([
    [
      ['--workloads', 'db,Sleep'],
      /--workloads: "Sleep" is not a name \(lowercase letters, digits and dashes; curl <server>\/ lists them\)/,
    ],
    [['--modes', 'a b'], /--modes: "a b" is not a name/],
    [['--workload-file', 'a.ts,'], /--workload-file: an empty path/],
    [
      ['--url', 'http://x:3000', '--workload-file', 'a.ts'],
      /--workload-file loads files into the server the harness starts; with --url, start that server with WORKLOADS=<files> instead/,
    ],
    [['--connections', '0'], /--connections: 0 is out of range \(1\.\.1000\)/],
    [['--connections', '10,abc'], /--connections: "abc" is not a whole number/],
    [['--duration', '1.5'], /--duration: "1\.5" is not a whole number \(1\.\.600\)/],
    [['--params', 'fetch.delay'], /--params: "fetch.delay" is not of the form workload.param=value/],
    [['--params', 'db.sleep=1,db.sleep=2'], /--params: db\.sleep is given more than once/],
    [
      ['--workloads', 'db', '--workloads', 'fetch'],
      /--workloads is given more than once; give one comma-separated list instead/,
    ],
    [['--duration', '1', '--duration', '2'], /--duration is given more than once/],
    [['--faults', '--workloads', 'hash'], /--faults runs a fixed drill .* not --workloads$/],
    [['--faults', '--workload-file', 'a.ts'], /--faults runs a fixed drill .* not --workload-file$/],
    [['--faults', '--modes', 'async', '--connections', '5'], /not --modes, --connections$/],
    [['--faults', '--threshold', 'db.async.p99<100'], /not --threshold \(the fault run evaluates no thresholds\)/],
    [['--faults', '--rate', '10,20'], /--faults takes one --rate value, not a list/],
    [['--url', 'ftp://x'], /--url: only http: and https:/],
    [
      ['--url', 'http://x:3000', '--workers', '2'],
      /--workers restarts the server per value, so it cannot be combined with --url/,
    ],
    [
      ['--url', 'http://x:3000', '--processes', '2'],
      /--processes restarts the server per value, so it cannot be combined with --url/,
    ],
    [['--processes', '0'], /--processes/],
    [['--processes', '65'], /--processes/],
    [['--connections', '5', '--rate', '10'], /exclude each other/],
    [['--generators', '0'], new RegExp(`--generators: 0 is out of range \\(1\\.\\.${availableParallelism() * 4}\\)`)],
    [['--generators', String(availableParallelism() * 4 + 1)], /--generators: \d+ is out of range/],
    [['--generators', 'two'], /--generators: "two" is not a whole number/],
    [
      ['--generators', '3', '--connections', '2,20'],
      /--generators: 3 generators share each level's connections, so every --connections level must be at least 3 \(2 is not\)/,
    ],
    [['--faults', '--generators', '2'], /--faults runs a fixed drill .* not --generators$/],
    [['--export', 'k6'], /--export k6 needs a directory to write the scripts to: --export k6 DIR/],
    [['--export', 'jmeter', 'out'], /--export: unknown format "jmeter"; allowed: k6/],
    [
      ['--export', 'k6', 'out', 'more'],
      /"more" is not an option \(the only positional argument is the directory in --export k6 DIR\)/,
    ],
    [['out', '--export', 'k6'], /"out" is not an option/],
    [
      ['--export', 'k6', 'out', '--repeat', '3', '--generators', '2'],
      /--export writes scripts and runs nothing; .* not --repeat, --generators$/,
    ],
    [['--nope'], /Unknown option '--nope'/],
    [['stray'], /positional/i],
    [['--faults', '--url', 'http://x:1'], /--faults runs a fixed drill .* not --url/],
  ])('refuses %j with a clear message', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(OptionsError);
    expect(() => parseOptions(argv)).toThrow(message);
  });
});

describe('--target', () => {
  it('keeps the whole URL (path and query) and the probe path', () => {
    expect(parseOptions(['--target', 'http://127.0.0.1:8080/orders?limit=20', '--probe', '/healthz'])).toMatchObject({
      target: 'http://127.0.0.1:8080/orders?limit=20',
      probe: '/healthz',
      url: undefined,
    });
    expect(parseOptions(['--target', 'http://127.0.0.1:8080/x'])).not.toHaveProperty('probe');
  });
  it('is refused with what needs looplab', () => {
    expect(() => parseOptions(['--target', 'http://h/x', '--export', 'k6', 'dir'])).toThrow('so it takes no --export');
    expect(() => parseOptions(['--target', 'not a url'])).toThrow('--target: "not a url" is not a URL');
  });
});

describe('--target with stall blame', () => {
  it('takes --blame-url, as --url does, but not --stall-threshold (the server was started without the harness)', () => {
    expect(parseOptions(['--target', 'http://127.0.0.1:8080/x', '--blame-url', 'http://127.0.0.1:9300'])).toMatchObject(
      { blameUrl: 'http://127.0.0.1:9300' },
    );
    expect(() => parseOptions(['--target', 'http://127.0.0.1:8080/x', '--stall-threshold', '50'])).toThrow(
      '--stall-threshold applies to the server the harness starts',
    );
  });
});

describe('--target PATHS -- <command>: the server the harness starts', () => {
  it('takes the paths and the command after --, with --stall-threshold and --listen-timeout', () => {
    const argv = ['--target', '/login,/orders', '--stall-threshold', '50', '--listen-timeout', '9'];
    const options = parseOptions([...argv, '--', 'node', 'server.js', '--port', '1']);
    // The origin is the server's to tell, once it listens.
    expect(options).not.toHaveProperty('target');
    expect(options).toMatchObject({
      targetPaths: ['/login', '/orders'],
      command: ['node', 'server.js', '--port', '1'],
      stallThresholdMs: 50,
      listenTimeout: 9,
    });
  });

  it.each([
    [['--target', '/login'], '--target /login: a path needs the command that starts its server after --'],
    [['--target', 'http://h/x', '--', 'node', 's.js'], '--target: "http://h/x" is not a path'],
    [['--', 'node', 's.js'], 'a server command after -- needs --target with the paths to load on it'],
    [['--target', '/x', '--'], 'nothing after --: give the command that starts your server'],
    [['--target', '/x', '--blame-url', 'http://h:1', '--', 'node', 's.js'], '--blame-url is not needed'],
    [['--target', 'http://h/x', '--listen-timeout', '5'], '--listen-timeout goes with a server command after --'],
    [['--target', '/x', '--url', 'http://h:1', '--', 'node', 's.js'], 'so it takes no --url'],
  ])('%j is refused in one line', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(message);
  });
});
