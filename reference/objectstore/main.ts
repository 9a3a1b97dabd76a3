/**
 * The object store process (S3-compatible, SigV4-checked). Environment:
 *   OBJECTSTORE_PORT                 port (default 4200)
 *   OBJECTSTORE_HOST                 interface (default 0.0.0.0)
 *   OBJECTSTORE_ACCESS_KEY_ID        the one access key it accepts (required)
 *   OBJECTSTORE_SECRET_ACCESS_KEY    its secret (required, 16+ characters)
 *   OBJECTSTORE_REGION               signing region (default us-east-1)
 *   OBJECTSTORE_BUCKETS              comma-separated buckets created at start (default main)
 *   OBJECTSTORE_DIR                  data folder (default: a fresh temp folder, removed at exit)
 * Prints `objectstore listening on <port>` once it accepts connections;
 * SIGTERM or SIGINT closes it and exits 0.
 */
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createObjectStore } from './store.ts';

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function fail(message: string): never {
  console.error(`objectstore: ${message}`);
  process.exit(1);
}

function required(name: string, minLength = 1): string {
  const value = process.env[name] ?? '';
  if (value.length < minLength) fail(`${name} is required${minLength > 1 ? ` (${minLength}+ characters)` : ''}`);
  return value;
}

const port = Number(process.env.OBJECTSTORE_PORT || '4200');
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`OBJECTSTORE_PORT '${process.env.OBJECTSTORE_PORT}' is not a port number`);
const credentials = {
  accessKeyId: required('OBJECTSTORE_ACCESS_KEY_ID'),
  secretAccessKey: required('OBJECTSTORE_SECRET_ACCESS_KEY', 16),
};
const buckets = (process.env.OBJECTSTORE_BUCKETS || 'main')
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);
for (const bucket of buckets)
  if (!BUCKET.test(bucket))
    fail(`OBJECTSTORE_BUCKETS: '${bucket.slice(0, 64)}' is not a bucket name (3-63 of a-z, 0-9, '.', '-')`);
const ownDirectory = !process.env.OBJECTSTORE_DIR;
const directory = process.env.OBJECTSTORE_DIR || mkdtempSync(join(tmpdir(), 'santokit-objectstore-'));

try {
  mkdirSync(directory, { recursive: true });
  accessSync(directory, constants.W_OK);
} catch (error) {
  fail(
    `OBJECTSTORE_DIR '${directory}' is not a writable folder: ${error instanceof Error ? error.message : String(error)}`,
  );
}

// Buckets are created with the first signed request (store.ts loads s3rver then).
const store = createObjectStore({
  directory,
  credentials,
  region: process.env.OBJECTSTORE_REGION || 'us-east-1',
  buckets,
  log: (line) => console.log(line),
});
const server = createServer(store.handle);
server.listen(port, process.env.OBJECTSTORE_HOST || '0.0.0.0', () =>
  console.log(`objectstore listening on ${port} buckets=${buckets.join(',')}`),
);

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  server.close(() => {
    if (ownDirectory) rmSync(directory, { recursive: true, force: true });
    process.exit(0);
  });
  server.closeAllConnections();
}
// `on`, not `once`: a second signal must not end the clean stop half-way.
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
