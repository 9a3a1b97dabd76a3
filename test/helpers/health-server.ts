/** A loopback HTTP server that answers 200 to everything: a Hub and Bridge for `--stack external` runs whose scenarios call nothing. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function startHealthServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_request, response) =>
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { url: `http://127.0.0.1:${port}`, close };
}
