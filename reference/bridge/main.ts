/** The reference Bridge process: reads env, listens, stops cleanly on SIGTERM/SIGINT. */
import { serve } from '@hono/node-server';
import { SERVICE_TOKEN_ENV } from '../shared/contract.ts';
import { createBridgeApp } from './app.ts';
import { createHttpHubClient, withCache } from './hub-client.ts';
import { createPools } from './pools.ts';

const hubUrl = process.env.STK_HUB_URL ?? 'http://hub:4000';
const serviceToken = process.env[SERVICE_TOKEN_ENV];
const port = Number(process.env.STK_BRIDGE_PORT ?? '3000');
if (!serviceToken) {
  console.error(`bridge: ${SERVICE_TOKEN_ENV} is required`);
  process.exit(1);
}
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`bridge: STK_BRIDGE_PORT '${process.env.STK_BRIDGE_PORT}' is not a port number`);
  process.exit(1);
}
const pools = createPools();
const app = createBridgeApp({ hub: withCache(createHttpHubClient(hubUrl, serviceToken)), pools, log: (line) => console.log(line) });
const server = serve({ fetch: app.fetch, port, hostname: '0.0.0.0' }, (info) => console.log(`bridge listening on ${info.port}`));
const stop = () => {
  server.close();
  void pools.closeAll().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
