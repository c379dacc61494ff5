import { describe, expect, it } from 'vitest';
import { originOf } from '../../loadtest/server-command/listening.ts';
import { OutputTail } from '../../loadtest/server-command/output-tail.ts';
import { withPreload } from '../../loadtest/server-command/preload-args.ts';

describe('where the started server is loaded (originOf)', () => {
  const at = (address: string, port: number, family = 'IPv4') => ({ address, port, family });

  it('takes the port the harness gave in PORT when the server listens there too', () => {
    expect(originOf([at('127.0.0.1', 9001), at('127.0.0.1', 4000)], 4000)).toBe('http://127.0.0.1:4000');
  });

  it('takes the first port it listened on when it ignored PORT', () => {
    expect(originOf([at('127.0.0.1', 9001), at('127.0.0.1', 9002)], 4000)).toBe('http://127.0.0.1:9001');
  });

  it('reaches an address on every interface on loopback, and brackets an IPv6 one', () => {
    expect(originOf([at('::', 9001, 'IPv6')], 1)).toBe('http://127.0.0.1:9001');
    expect(originOf([at('0.0.0.0', 9001)], 1)).toBe('http://127.0.0.1:9001');
    expect(originOf([at('::1', 9001, 'IPv6')], 1)).toBe('http://[::1]:9001');
  });

  it('has none while nothing listens', () => {
    expect(originOf([], 4000)).toBeUndefined();
  });
});

describe('how the command gets the preload (withPreload)', () => {
  it('puts it on the command line of a node command, leaving NODE_OPTIONS as it was', () => {
    const { program, args, nodeOptions } = withPreload(
      ['node', 'server.js', '--port', '1'],
      '--max-old-space-size=512',
    );
    expect(program).toBe('node');
    expect(args.slice(-3)).toEqual(['server.js', '--port', '1']);
    expect(args.at(-4)).toMatch(/\/stall-blame\/preload\.(ts|js)$/);
    expect(args.at(-5)).toBe('--import');
    expect(nodeOptions).toBe('--max-old-space-size=512');
  });

  it('gives the preload that only says where the server listens when blame is off', () => {
    expect(withPreload(['node', 'server.js'], undefined, 'listening only').args.at(-2)).toMatch(
      /\/stall-blame\/listening-preload\.(ts|js)$/,
    );
  });

  it('puts it in NODE_OPTIONS, after what was there, for any other command', () => {
    const { program, args, nodeOptions } = withPreload(['npx', 'tsx', 'server.ts'], '--enable-source-maps');
    expect([program, ...args]).toEqual(['npx', 'tsx', 'server.ts']);
    expect(nodeOptions).toMatch(/^--enable-source-maps .*--import "?file:\/\/\S+\/stall-blame\/preload\.(ts|js)"?$/);
  });
});

describe('the end of the command’s output (OutputTail)', () => {
  it('keeps the last lines, across chunks split mid-line, indented under the error', () => {
    const tail = new OutputTail(2);
    tail.add('one\ntw');
    tail.add('o\nthree\nfou');
    expect(tail.text()).toBe('  | three\n  | fou');
  });

  it('is empty when the command said nothing', () => {
    expect(new OutputTail().text()).toBe('');
  });
});
