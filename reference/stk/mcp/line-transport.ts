/**
 * MCP over stdio, one JSON-RPC message per line, as a Transport of the SDK.
 * What it adds to the SDK's own stdio transport: a line that is not JSON is
 * answered with -32700 and a message that is not JSON-RPC with -32600
 * (instead of being dropped); an `initialize` without the client's fields
 * (as Santokit's harness sends it) is taken as protocol 2024-11-05; and at the
 * end of the input the requests still running are answered before it closes.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { RPC } from './tool-error.ts';

type Id = string | number;
type Loose = Record<string, unknown>;

const OLDEST_FULL_PROTOCOL = '2024-11-05';

export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly #input: Readable;
  readonly #output: Writable;
  readonly #pending = new Set<Id>();
  #ended = false;
  #closed = false;

  constructor(input: Readable, output: Writable) {
    this.#input = input;
    this.#output = output;
  }

  async start(): Promise<void> {
    const lines = createInterface({ input: this.#input, crlfDelay: Infinity });
    lines.on('line', (line) => this.#receive(line));
    lines.on('close', () => {
      this.#ended = true;
      this.#closeWhenIdle();
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) return;
    await new Promise<void>((resolve) =>
      this.#output.write(`${JSON.stringify(message)}\n`) ? resolve() : this.#output.once('drain', resolve),
    );
    if ('id' in message && !('method' in message) && message.id !== undefined) this.#pending.delete(message.id);
    this.#closeWhenIdle();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.onclose?.();
  }

  #receive(raw: string): void {
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      void this.send({
        jsonrpc: '2.0',
        id: null,
        error: { code: RPC.parseError, message: 'Parse error' },
      } as unknown as JSONRPCMessage);
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    const message = normalise(value as Loose);
    const parsed = JSONRPCMessageSchema.safeParse(message);
    if (!parsed.success) {
      const id = message.id;
      if (typeof id === 'string' || typeof id === 'number' || id === null)
        void this.send({
          jsonrpc: '2.0',
          id,
          error: { code: RPC.invalidRequest, message: 'Invalid Request' },
        } as unknown as JSONRPCMessage);
      return;
    }
    this.#track(parsed.data);
    this.onmessage?.(parsed.data);
  }

  /** Requests wait for their answer before an ended input closes; a cancelled one is not waited for. */
  #track(message: JSONRPCMessage): void {
    if ('method' in message && 'id' in message) this.#pending.add(message.id);
    if ('method' in message && message.method === 'notifications/cancelled') {
      const id = message.params?.requestId;
      if (typeof id === 'string' || typeof id === 'number') this.#pending.delete(id);
    }
  }

  #closeWhenIdle(): void {
    if (this.#ended && this.#pending.size === 0) void this.close();
  }
}

/** Fills the fields an `initialize` must carry when a bare client leaves them out. */
function normalise(message: Loose): Loose {
  if (message.method !== 'initialize' || !('id' in message)) return message;
  const params = message.params !== null && typeof message.params === 'object' ? (message.params as Loose) : {};
  return {
    ...message,
    params: {
      protocolVersion: OLDEST_FULL_PROTOCOL,
      capabilities: {},
      clientInfo: { name: 'unnamed client', version: '0' },
      ...params,
    },
  };
}
