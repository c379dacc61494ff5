/**
 * `looplab loadtest --target /a,/b -- <command>`: starts the user's server command with the stall-blame
 * preload on a free blame port and PORT set to a free port (unless the user set PORT), learns from the
 * preload where the server really listens, and stops the command's whole process group at the end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../lib/free-port.ts';
import { askListening, originOf } from './listening.ts';
import { OutputTail } from './output-tail.ts';
import { killGroupOnExit, stopProcessGroup } from './process-group.ts';
import { withPreload } from './preload-args.ts';

/** The command could not be started, exited before it listened, or never listened: one line, then its output's tail. */
export class ServerCommandError extends Error {
  override name = 'ServerCommandError';
}

export interface ServerCommandOptions {
  /** The command and its arguments, as typed after `--`. */
  command: readonly string[];
  /** STALL_THRESHOLD_MS for the preload. */
  stallThresholdMs: number;
  /** Stall blame on (the stall-blame preload), or off (`--no-blame`: a preload that only says where it listens). */
  blame: boolean;
  /** How long to wait for the server to listen. */
  listenTimeoutMs: number;
  /** The harness's environment, which the command inherits (PORT in it is the user's choice, kept). */
  env: NodeJS.ProcessEnv;
  /** The user's directory: where the command runs. */
  cwd: string;
  /** Called as soon as the command is spawned with what stops it, for a Ctrl-C that comes before it listens. */
  onSpawn?: (stop: () => Promise<void>) => void;
}

export interface StartedServer {
  /** Where its server listens, e.g. http://127.0.0.1:41234. */
  origin: string;
  /** Its stall-blame endpoint; undefined with blame off. */
  blameUrl: string | undefined;
  /** Stops the command and every process it started; safe to call twice. */
  stop(): Promise<void>;
}

const POLL_MS = 100;

/** `node src/server.js`, as the user typed it, for the messages. */
const shown = (command: readonly string[]) => command.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');

function spawnCommand(options: ServerCommandOptions, port: string, blamePort: number) {
  const { program, args, nodeOptions } = withPreload(
    options.command,
    options.env['NODE_OPTIONS'],
    options.blame ? 'blame' : 'listening only',
  );
  return spawn(program, args, {
    cwd: options.cwd,
    // Its own process group: the terminal's Ctrl-C reaches the harness alone, which stops the group.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...options.env,
      PORT: port,
      LOOPLAB_BLAME_PORT: String(blamePort),
      // The stall-blame preload takes it out of the environment again; without blame it is not set at all.
      ...(options.blame ? { STALL_THRESHOLD_MS: String(options.stallThresholdMs) } : {}),
      ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
    },
  });
}

/** Resolves with a sentence when the child ends (or cannot be started at all); never rejects. */
function whenGone(child: ChildProcess, command: readonly string[]): Promise<string> {
  return new Promise((resolve) => {
    child.once('error', (err: NodeJS.ErrnoException) =>
      resolve(
        err.code === 'ENOENT'
          ? `cannot run "${command[0]}": no such command`
          : `cannot run "${command[0]}": ${err.message}`,
      ),
    );
    child.once('exit', (code, signal) =>
      resolve(`${shown(command)} exited (${signal ? `signal ${signal}` : `code ${code}`}) before it listened`),
    );
  });
}

/** Starts the command and waits until its server listens; throws ServerCommandError otherwise. */
export async function startServerCommand(options: ServerCommandOptions): Promise<StartedServer> {
  const given = options.env['PORT'];
  const port = given || String(await freePort());
  const blamePort = await freePort();
  const blameUrl = `http://127.0.0.1:${blamePort}`;
  const child = spawnCommand(options, port, blamePort);
  const tail = new OutputTail();
  child.stdout?.on('data', (chunk: Buffer) => tail.add(chunk));
  child.stderr?.on('data', (chunk: Buffer) => tail.add(chunk));
  const forget = killGroupOnExit(child);
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= stopProcessGroup(child).finally(forget);
    return stopped;
  };
  options.onSpawn?.(stop);
  let gone: string | undefined;
  void whenGone(child, options.command).then((why) => {
    gone = why;
  });

  const until = Date.now() + options.listenTimeoutMs;
  let preloadAnswered = false;
  for (;;) {
    if (gone !== undefined) break;
    const listening = await askListening(blameUrl);
    preloadAnswered ||= listening !== undefined;
    const origin = listening && originOf(listening, Number(port));
    if (origin) return { origin, blameUrl: options.blame ? blameUrl : undefined, stop };
    if (Date.now() > until) break;
    await sleep(POLL_MS);
  }
  // Said before the stop, which ends the command too: a timeout is not "exited before it listened".
  const seconds = options.listenTimeoutMs / 1000;
  const why =
    gone ??
    (preloadAnswered
      ? `${shown(options.command)} did not listen on a TCP port within ${seconds} s (--listen-timeout); a server in a ` +
        `worker thread or behind a wrapper (npm start) is not seen: give the server's own command, e.g. node server.js`
      : `${shown(options.command)} did not load looplab's preload within ${seconds} s (--listen-timeout): is it a Node ≥ 22.18 process?`);
  await stop();
  // Output still in the pipes when the child ended is read before the tail is shown.
  await sleep(50);
  const output = tail.text();
  throw new ServerCommandError(output ? `${why}; its last output:\n${output}` : `${why}; it printed nothing`);
}
