/**
 * Under compose, `stk mcp start` listens on the cli container's loopback,
 * which the runner cannot reach. A relay listens on the runner's loopback
 * and carries each TCP connection through its own `docker exec -i <container>
 * node` to that port, so the SDK's SSE client talks to the server unchanged.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Runs in the container: stdin → 127.0.0.1:<port> → stdout. */
const PIPE_TO_PORT = [
  "const socket = require('node:net').connect(Number(process.argv[1]), '127.0.0.1');",
  'process.stdin.pipe(socket);',
  'socket.pipe(process.stdout);',
  "socket.on('error', () => process.exit(1));",
  "socket.on('close', () => process.exit(0));",
].join(' ');

export interface Relay {
  readonly port: number;
  close(): Promise<void>;
}

export async function startContainerRelay(container: string, containerPort: number): Promise<Relay> {
  const pipes = new Set<ChildProcess>();
  const server = createServer((socket) => {
    const pipe = spawn('docker', ['exec', '-i', container, 'node', '-e', PIPE_TO_PORT, String(containerPort)], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    pipes.add(pipe);
    pipe.stdin?.on('error', () => undefined);
    socket.on('error', () => pipe.kill());
    if (pipe.stdin) socket.pipe(pipe.stdin);
    pipe.stdout?.pipe(socket);
    pipe.once('close', () => {
      pipes.delete(pipe);
      socket.destroy();
    });
    pipe.once('error', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    async close() {
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const pipe of pipes) pipe.kill();
      await closing;
    },
  };
}
