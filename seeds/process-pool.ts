import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { siblingFile, typeScriptLoaderArgs } from '../lib/loader-args.ts';
import { chunksFor } from './pool-work.ts';
import { type ChildMessage, type ChunkMessage, UPSTREAM_URL_VARIABLE } from './process-protocol.ts';
import type { ItemPool } from './thread-pool.ts';

const START_TIMEOUT_MS = 60_000;

/** Forks one child and waits for its ready message. */
async function forkChild(upstreamUrl: string | undefined): Promise<ChildProcess> {
  const child = fork(siblingFile(import.meta.url, './process-child.ts'), [], {
    execArgv: typeScriptLoaderArgs(),
    env: { ...process.env, [UPSTREAM_URL_VARIABLE]: upstreamUrl ?? '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`a pool process did not start in ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`a pool process exited with code ${code} before it was ready`));
    });
    child.on('message', function onReady(message: ChildMessage) {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      child.off('message', onReady);
      resolve();
    });
  });
  child.removeAllListeners('exit');
  return child;
}

/** Starts `size` processes and resolves once every one is ready: the pool's start-up. */
export async function startProcessPool(size: number, upstreamUrl: string | undefined): Promise<ItemPool> {
  const started = await Promise.allSettled(Array.from({ length: size }, () => forkChild(upstreamUrl)));
  const children = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await stopAll(children);
    throw failed.reason;
  }
  let nextId = 0;
  return {
    async map(items) {
      const chunks = chunksFor(items, size);
      let total = 0;
      // Each child takes the next chunk when it finishes one: Pool.map's dynamic hand-out.
      await Promise.all(
        children.map(async (child) => {
          for (let chunk = chunks.shift(); chunk; chunk = chunks.shift())
            total += await runOn(child, { id: ++nextId, items: chunk });
        }),
      );
      return total;
    },
    close: () => stopAll(children),
  };
}

function runOn(child: ChildProcess, message: ChunkMessage): Promise<number> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`a pool process exited with code ${code} mid-batch`));
    child.once('exit', onExit);
    child.on('message', function onAnswer(answer: ChildMessage) {
      if (answer.type === 'ready' || answer.id !== message.id) return;
      child.off('message', onAnswer);
      child.off('exit', onExit);
      if (answer.type === 'done') resolve(answer.total);
      else reject(new Error(`a pool process failed: ${answer.message}`));
    });
    child.send(message);
  });
}

async function stopAll(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }),
  );
}
