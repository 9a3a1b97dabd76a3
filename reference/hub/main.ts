/** The reference Hub process: reads env, opens its store, listens, stops cleanly on SIGTERM/SIGINT. */
import { serve } from '@hono/node-server';
import { createHubApp } from './app.ts';
import { ConfigError, readConfig } from './config.ts';
import { createSealer } from './crypto.ts';
import type { HubDeps } from './deps.ts';
import { createEventBus } from './events.ts';
import { ensureBootstrapOperator } from './routes/operators.ts';
import { openStore } from './store.ts';

async function start(): Promise<void> {
  const config = readConfig(process.env);
  const store = await openStore(config.databaseUrl);
  const log = (line: string) => console.log(line);
  const events = createEventBus(log);
  const deps: HubDeps = { store, config, sealer: createSealer(config.secretKey), log, events };
  await ensureBootstrapOperator(deps);
  const server = serve({ fetch: createHubApp(deps).fetch, port: config.port, hostname: config.host }, (info) => {
    console.log(`hub listening on ${info.port}`);
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    events.close();
    server.close();
    if ('closeAllConnections' in server) server.closeAllConnections();
    void store.close().finally(() => process.exit(0));
  };
  // `on`, not `once`: a second signal (a process group and its leader both signalled) must not end the clean stop.
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

start().catch((error: unknown) => {
  console.error(
    error instanceof ConfigError
      ? `hub: ${error.message}`
      : `hub failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
