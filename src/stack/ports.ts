/**
 * Ports the OS hands out, never fixed ones, claimed so that two stacks
 * starting at once on one machine never pick the same port.
 *
 * A stack chooses its ports before its services bind them (the Bridge must
 * know the Hub's URL while both start), so "free a moment ago" is not enough:
 * another santokit-it process (a parallel test file, a mutation run) can pick
 * the same port in between. Each port handed out is claimed with a file
 * created exclusively in a folder every santokit-it process on the machine
 * shares; a claim whose process is gone, or that is older than any service
 * start, no longer counts.
 */
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from './process-group.ts';

/**
 * Below Linux's default range of ephemeral ports (32768-60999): a port the OS
 * hands out for listening there can be taken as the source port of any
 * outgoing connection between our check and the service's bind, and parallel
 * runs make many connections.
 */
const QUIET_PORTS = { first: 20_000, count: 12_000 } as const;
/** By then the service that was given the port has bound it (or its start has failed). */
const CLAIM_LIFETIME_MS = 10 * 60_000;
const ATTEMPTS = 50;

/** The folder of claims shared by every santokit-it process of this machine. */
export const PORT_CLAIMS_DIR = join(tmpdir(), 'santokit-it-port-claims');

/** Claims this process holds; they go when it exits (a killed process leaves them to go stale). */
const heldClaims = new Set<string>();
process.once('exit', () => {
  for (const file of heldClaims) removeQuietly(file);
});

/** A port free on 127.0.0.1 and claimed for this process: a random one outside the ephemeral range. */
export async function freePort(claimsDir = PORT_CLAIMS_DIR): Promise<number> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const port = QUIET_PORTS.first + Math.floor(Math.random() * QUIET_PORTS.count);
    if (!claimPort(port, claimsDir)) continue;
    if (await isPortFree(port)) return port;
    releasePort(port, claimsDir);
  }
  throw new Error(`no free port found in ${ATTEMPTS} attempts between ${QUIET_PORTS.first} and ${lastQuietPort()}`);
}

/**
 * Claims `port` for this process unless a live claim holds it. A claim left
 * by a process that is gone, or older than CLAIM_LIFETIME_MS, is taken over.
 */
export function claimPort(port: number, claimsDir = PORT_CLAIMS_DIR): boolean {
  ensureClaimsDir(claimsDir);
  const file = join(claimsDir, String(port));
  if (createExclusive(file) || (claimIsStale(file) && replaceStale(file))) {
    heldClaims.add(file);
    return true;
  }
  return false;
}

/** Gives a claim back (the port is bound by now, or was not free after all). */
export function releasePort(port: number, claimsDir = PORT_CLAIMS_DIR): void {
  const file = join(claimsDir, String(port));
  heldClaims.delete(file);
  removeQuietly(file);
}

/** Whether something can listen on `port` on 127.0.0.1 right now. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Claim folders this process has made ready. */
const readyDirs = new Set<string>();

/** Every user's runs share the folder (sticky, like /tmp): umask must not narrow it. */
function ensureClaimsDir(claimsDir: string): void {
  if (readyDirs.has(claimsDir)) return;
  mkdirSync(claimsDir, { recursive: true });
  try {
    chmodSync(claimsDir, 0o1777);
  } catch {
    // another user's folder: it was made shared when it was made
  }
  readyDirs.add(claimsDir);
}

function createExclusive(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function claimIsStale(file: string): boolean {
  try {
    if (Date.now() - statSync(file).mtimeMs > CLAIM_LIFETIME_MS) return true;
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    // An empty file is a claim being written right now.
    return Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid);
  } catch {
    return false;
  }
}

function replaceStale(file: string): boolean {
  removeQuietly(file);
  return createExclusive(file);
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

function lastQuietPort(): number {
  return QUIET_PORTS.first + QUIET_PORTS.count - 1;
}
