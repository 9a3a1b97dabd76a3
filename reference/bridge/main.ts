/**
 * The reference Bridge process. Environment:
 *   STK_BRIDGE_PORT    port (default 3000)
 *   STK_HUB_URL        the Hub (default http://hub:4000)
 *   STK_SERVICE_TOKEN  sent as `Authorization: Bearer <token>` on every Hub call (required)
 *   STK_PASETO_KEYS    optional: derive token keys locally instead of fetching them
 *   AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL), AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
 *                      the object store behind storage/<bucket>/<op> (storage-s3.ts); without keys,
 *                      storage calls answer 503 after their policy checks
 * Prints `bridge listening on <port>` once it accepts connections; SIGTERM or
 * SIGINT closes the server and every database pool, then exits 0.
 */
import { serve } from '@hono/node-server';
import { SERVICE_TOKEN_ENV } from '../shared/contract.ts';
import { createBridgeApp } from './app.ts';
import { createHttpHubClient, type HubClient } from './hub-client.ts';
import { followHubEvents, type EventStream } from './hub-events.ts';
import { withLocalKeys } from './local-keys.ts';
import { createPools } from './pools.ts';
import { storageBackendFromEnv } from './storage-s3.ts';

function fail(message: string): never {
  console.error(`bridge: ${message}`);
  process.exit(1);
}

const serviceToken = process.env[SERVICE_TOKEN_ENV] || fail(`${SERVICE_TOKEN_ENV} is required`);
const port = Number(process.env.STK_BRIDGE_PORT || '3000');
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`STK_BRIDGE_PORT '${process.env.STK_BRIDGE_PORT}' is not a port number`);
const hubUrl = process.env.STK_HUB_URL || 'http://hub:4000';
let hub: HubClient = createHttpHubClient(hubUrl, serviceToken);
if (process.env.STK_PASETO_KEYS) {
  try {
    hub = withLocalKeys(hub, process.env.STK_PASETO_KEYS);
  } catch (error) {
    fail(error instanceof Error ? error.message : 'STK_PASETO_KEYS is invalid');
  }
}
const pools = createPools();
const log = (line: string) => console.log(line);
let events: EventStream | undefined;
const storage = storageBackendFromEnv();
const app = createBridgeApp({
  hub,
  pools,
  log,
  ...(storage ? { storage } : {}),
  attachCache: (cache) => (events = followHubEvents(hubUrl, serviceToken, cache, log)),
});
const server = serve({ fetch: app.fetch, port, hostname: process.env.STK_BRIDGE_HOST || '0.0.0.0' }, (info) =>
  console.log(`bridge listening on ${info.port}`),
);

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  events?.stop();
  storage?.close();
  // Exit even if a client holds a connection open past the grace period.
  setTimeout(() => process.exit(0), 5_000).unref();
  server.close();
  if ('closeIdleConnections' in server) server.closeIdleConnections();
  void pools.closeAll().finally(() => process.exit(0));
}
// `on`, not `once`: a second signal (a process group and its leader both signalled) must not end the clean stop.
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
