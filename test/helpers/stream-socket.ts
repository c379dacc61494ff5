import { connect, type Socket } from 'node:net';
import { Duplex } from 'node:stream';

/**
 * A TCP connection seen through a plain Duplex stream, for postgres.js's `socket` option. Unlike a
 * `net.Socket`, whose 'close' comes in the event loop's close phase, a Duplex reports 'close' on the
 * next tick after `destroy()`: before any `setImmediate` already queued. That is the order a busy
 * server sees when a socket's end and a new write land in the same loop turn, made deterministic.
 * `onWrite` sees every chunk the client writes; the connection is cut by destroying the stream.
 */
export function streamSocket(
  port: number,
  host: string,
  onWrite: (chunk: Buffer, stream: Duplex) => void = () => {},
): Duplex {
  const tcp: Socket = connect(port, host);
  const stream: Duplex = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      onWrite(chunk, stream);
      if (stream.destroyed) return callback();
      tcp.write(chunk, () => callback());
    },
    destroy(err, callback) {
      tcp.destroy();
      callback(err);
    },
  });
  tcp.on('data', (data) => stream.push(data));
  tcp.on('end', () => stream.push(null));
  tcp.on('error', (err) => stream.destroy(err));
  tcp.on('close', () => stream.destroy());
  return stream;
}
