import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { watchClients } from '../server/observation/client-activity.ts';
import {
  createLoopDelayMonitor,
  IDLE_SAMPLE_INTERVAL_MS,
  LOOP_SAMPLE_INTERVAL_MS,
  sampleIntervalMs,
} from '../server/observation/loop-delay.ts';
import { waitFor } from './helpers/wait-for.ts';

/**
 * An idle server does not wake every millisecond to sample its event loop (issue 28: the 1 ms sampler
 * was most of `npm start`'s idle CPU), yet a client connected gets the 1 ms sampler, and the windows
 * stay time-weighted across the switch. A real HTTP server on port 0 and a real socket.
 */
let server: Server;
let port: number;
const monitor = createLoopDelayMonitor();
beforeAll(async () => {
  server = createServer((_, res) => res.end('ok'));
  watchClients(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  monitor.close();
  await new Promise((resolve) => server.close(resolve));
});

it('samples at the idle interval with no client, at 1 ms while one is connected, and idles again a second after it left', async () => {
  expect(sampleIntervalMs()).toBe(IDLE_SAMPLE_INTERVAL_MS);
  const socket = connect(port, '127.0.0.1');
  await waitFor('the connection to be accepted', () =>
    sampleIntervalMs() === LOOP_SAMPLE_INTERVAL_MS ? true : undefined,
  );
  socket.destroy();
  await waitFor('the sampler to idle', () => (sampleIntervalMs() === IDLE_SAMPLE_INTERVAL_MS ? true : undefined), 5000);
});

it('keeps a window time-weighted while idle: about one sample per millisecond, and a stall still seen', async () => {
  monitor.takeWindow();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const until = performance.now() + 80;
  while (performance.now() < until) {
    // an 80 ms stall on this thread, the sampler's thread
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  const window = monitor.takeWindow();
  const ms = performance.now() - started;
  expect(sampleIntervalMs()).toBe(IDLE_SAMPLE_INTERVAL_MS);
  // Quiet ticks filled in: as many samples as a 1 ms sampler would have taken, give or take the last tick.
  expect(window.samples).toBeGreaterThan(ms * 0.8);
  expect(window.samples).toBeLessThan(ms * 1.1);
  expect(window.maxMs).toBeGreaterThan(30);
});
