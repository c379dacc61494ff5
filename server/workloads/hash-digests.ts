import { createHash, pbkdf2, pbkdf2Sync, scrypt, scryptSync } from 'node:crypto';
import { promisify } from 'node:util';
import type { Steps } from './steps.ts';

/** Fixed inputs: the same request must give the same digest in every mode. */
const PASSWORD = 'looplab-password';
const SALT = 'looplab-salt';
const KEY_BYTES = 32;
/** scrypt needs 128 * N * r bytes; the largest allowed N (2^17) with r = 8 needs 128 MiB. */
const SCRYPT_MAXMEM = 256 * 1024 * 1024;
const SHA256_SLICE = 5_000;

const pbkdf2Async = promisify(pbkdf2);
const scryptAsync = promisify(scrypt) as (pw: string, salt: string, len: number, opts: object) => Promise<Buffer>;

const scryptOptions = (cost: number) => ({ N: cost, r: 8, p: 1, maxmem: SCRYPT_MAXMEM });

export function pbkdf2Digest(iterations: number): string {
  return pbkdf2Sync(PASSWORD, SALT, iterations, KEY_BYTES, 'sha256').toString('hex');
}

/** Runs on libuv's thread pool (UV_THREADPOOL_SIZE, default 4): the event loop only waits. */
export async function pbkdf2DigestAsync(iterations: number): Promise<string> {
  return (await pbkdf2Async(PASSWORD, SALT, iterations, KEY_BYTES, 'sha256')).toString('hex');
}

export function scryptDigest(cost: number): string {
  return scryptSync(PASSWORD, SALT, KEY_BYTES, scryptOptions(cost)).toString('hex');
}

/** Runs on libuv's thread pool, like {@link pbkdf2DigestAsync}. */
export async function scryptDigestAsync(cost: number): Promise<string> {
  return (await scryptAsync(PASSWORD, SALT, KEY_BYTES, scryptOptions(cost))).toString('hex');
}

/**
 * SHA-256 applied `rounds` times to its own output. Node has no async form of this, so it shows what
 * happens to CPU work that no library offloads for you.
 */
export function* iteratedSha256(rounds: number): Steps<string> {
  let digest = createHash('sha256').update(PASSWORD).update(SALT).digest();
  for (let done = 0; done < rounds; ) {
    const end = Math.min(rounds, done + SHA256_SLICE);
    for (; done < end; done++) digest = createHash('sha256').update(digest).digest();
    yield;
  }
  return digest.toString('hex');
}
