/**
 * PostgreSQL refuses to run as root. When the runner is root, the server runs
 * as the `postgres` system user, created if the machine has none.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';

export interface SystemUser {
  readonly uid: number;
  readonly gid: number;
}

const POSTGRES_USER = 'postgres';

/** The user to run PostgreSQL as, or undefined to run it as ourselves. */
export async function postgresRunAs(): Promise<SystemUser | undefined> {
  if (process.platform === 'win32' || userInfo().uid !== 0) return undefined;
  const existing = await lookupUser(POSTGRES_USER);
  if (existing) return existing;
  await promisify(execFile)('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', POSTGRES_USER]);
  const created = await lookupUser(POSTGRES_USER);
  if (!created) throw new Error(`useradd ${POSTGRES_USER} succeeded but the user is not in /etc/passwd`);
  return created;
}

async function lookupUser(name: string): Promise<SystemUser | undefined> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name) return { uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}
