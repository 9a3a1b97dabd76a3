/** The test identity provider process: reads env, listens, stops cleanly on SIGTERM/SIGINT. */
import { createServer } from 'node:http';
import { createIdp } from './app.ts';
import { IdpConfigError, readIdpConfig } from './config.ts';

async function start(): Promise<void> {
  const config = readIdpConfig(process.env);
  const idp = await createIdp(config);
  const server = createServer(idp.handle);
  server.listen(config.port, config.host, () => {
    console.log(
      `idp listening on ${config.port} issuer=${idp.issuer} clients=${config.clients.map((client) => client.client_id).join(',')}`,
    );
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  // `on`, not `once`: a second signal must not end the clean stop half-way.
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

start().catch((error: unknown) => {
  console.error(
    error instanceof IdpConfigError
      ? `idp: ${error.message}`
      : `idp failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
