import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The operating-system account PostgreSQL runs as when looplab itself runs as root. */
export interface RunAs {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

const POSTGRES_ACCOUNT = 'postgres';

async function lookUp(name: string): Promise<RunAs | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/**
 * PostgreSQL refuses to run as root, and containers usually run as root. Returns the account to run it
 * as — `postgres`, created as a system account without a home or login shell when missing — or
 * `undefined` when looplab is not root and PostgreSQL simply runs as the current user.
 */
export async function postgresRunAs(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const existing = await lookUp(POSTGRES_ACCOUNT);
  if (existing) return existing;
  try {
    await run('groupadd', ['--system', POSTGRES_ACCOUNT]).catch(() => {}); // may exist without the user
    await run('useradd', [
      '--system',
      '--gid',
      POSTGRES_ACCOUNT,
      '--no-create-home',
      '--home-dir',
      '/nonexistent',
      '--shell',
      '/usr/sbin/nologin',
      POSTGRES_ACCOUNT,
    ]);
  } catch (err) {
    throw new Error(
      `running as root, and the '${POSTGRES_ACCOUNT}' account PostgreSQL must run as could not be created ` +
        `(${String(err).split('\n')[0]}); create it, run as another user, or set DATABASE_URL`,
    );
  }
  const created = await lookUp(POSTGRES_ACCOUNT);
  if (!created) throw new Error(`the '${POSTGRES_ACCOUNT}' account was created but cannot be looked up`);
  return created;
}

/** Whether `account` can enter every directory down to `path` and execute or traverse `path` itself. */
export async function canReach(path: string, account: RunAs): Promise<boolean> {
  try {
    await run('test', ['-x', path], { uid: account.uid, gid: account.gid });
    return true;
  } catch {
    return false;
  }
}
