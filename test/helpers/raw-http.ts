import { connect, type Socket } from 'node:net';

/** One HTTP/1.1 answer read off a raw socket, and when (test clock) it was complete. */
export interface RawAnswer {
  readonly status: number;
  readonly body: string;
  readonly at: number;
}

/**
 * A keep-alive connection on a bare `net.Socket`: nothing pools, retries or reconnects behind the
 * test's back, so an answer on it really came over this one TCP connection. Records how it ended
 * (`error` code, `closedAt`) so a test can tell a reset or a server close from an answer.
 */
export class RawConnection {
  readonly socket: Socket;
  error: NodeJS.ErrnoException | undefined;
  endedAt: number | undefined;
  closedAt: number | undefined;
  private buffered = Buffer.alloc(0);
  private waiting: ((answer: RawAnswer) => void) | undefined;
  private failing: ((err: Error) => void) | undefined;
  readonly closed: Promise<void>;

  constructor(url: string) {
    const { hostname, port } = new URL(url);
    this.socket = connect(Number(port), hostname);
    this.socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.deliver();
    });
    this.socket.on('error', (err: NodeJS.ErrnoException) => (this.error = err));
    this.socket.on('end', () => (this.endedAt = performance.now()));
    this.closed = new Promise((resolve) =>
      this.socket.on('close', () => {
        this.closedAt = performance.now();
        this.failing?.(new Error(`connection closed before an answer (${this.error?.code ?? 'no error'})`));
        resolve();
      }),
    );
  }

  /** Writes a GET for `path`; resolves with when the write was handed to the kernel (test clock). */
  async send(path: string): Promise<number> {
    await new Promise<void>((resolve, reject) =>
      this.socket.write(`GET ${path} HTTP/1.1\r\nHost: looplab\r\n\r\n`, (err) => (err ? reject(err) : resolve())),
    );
    return performance.now();
  }

  /** The next answer on this connection; rejects if the connection closes first. */
  answer(): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      if (this.closedAt !== undefined)
        return reject(new Error(`connection already closed (${this.error?.code ?? 'no error'})`));
      this.waiting = resolve;
      this.failing = reject;
      this.deliver();
    });
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Hands a complete answer (Content-Length framed: every looplab answer is) to whoever waits. */
  private deliver(): void {
    const headEnd = this.buffered.indexOf('\r\n\r\n');
    if (!this.waiting || headEnd < 0) return;
    const head = this.buffered.subarray(0, headEnd).toString('latin1');
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? Number.NaN);
    if (Number.isNaN(length)) throw new Error(`answer without Content-Length:\n${head}`);
    if (this.buffered.length < headEnd + 4 + length) return;
    const body = this.buffered.subarray(headEnd + 4, headEnd + 4 + length).toString('utf8');
    this.buffered = this.buffered.subarray(headEnd + 4 + length);
    const resolve = this.waiting;
    this.waiting = this.failing = undefined;
    resolve({ status: Number(head.split(' ')[1]), body, at: performance.now() });
  }
}
