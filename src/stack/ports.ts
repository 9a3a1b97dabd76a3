/** Ports the OS hands out, never fixed ones. */
import { createServer } from 'node:net';

/**
 * Below Linux's default range of ephemeral ports (32768-60999): a port the OS
 * hands out for listening there can be taken as the source port of any
 * outgoing connection between our check and the service's bind, and parallel
 * runs make many connections.
 */
const QUIET_PORTS = { first: 20_000, count: 12_000 } as const;

/** A port that was free on 127.0.0.1 a moment ago: a random one outside the ephemeral range, else one the OS picks. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const port = QUIET_PORTS.first + Math.floor(Math.random() * QUIET_PORTS.count);
    if (await isPortFree(port)) return port;
  }
  return osPort();
}

function osPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
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
