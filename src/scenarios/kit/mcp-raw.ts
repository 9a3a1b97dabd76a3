/**
 * `stk mcp run` spoken to line by line, without a client library: for what a
 * library would hide (a line that is not JSON, an `initialize` without
 * params, the exact lines on stdout, the exit code when stdin closes).
 */
import type { ScenarioContext } from './context.ts';
import { startStk, type StkProcess, type StkProcessOptions } from './stk-process.ts';

export type RpcMessage = Readonly<Record<string, unknown>> & {
  readonly id?: unknown;
  readonly result?: unknown;
  readonly error?: { readonly code: number; readonly message: string; readonly data?: unknown };
};

export interface RawStdio {
  readonly process: StkProcess;
  /** Writes one line: a string as is, anything else as JSON. */
  send(message: unknown): void;
  /** The answer with this id, once it is on stdout; rejects after `timeoutMs` (default 90 s, start-up included) or when the process ends without it. */
  answer(id: unknown, timeoutMs?: number): Promise<RpcMessage>;
  /** Every stdout line so far, parsed (a line that is not JSON is kept as `{ unparsed }`). */
  lines(): RpcMessage[];
  /** Closes stdin and waits for the exit code (the process is stopped after `timeoutMs`). */
  endInput(timeoutMs?: number): Promise<number>;
}

export function startRawStdio(ctx: ScenarioContext, options: StkProcessOptions = {}): RawStdio {
  const stk = startStk(ctx, ['mcp', 'run'], options);
  const lines = (): RpcMessage[] =>
    stk
      .stdout()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        try {
          return JSON.parse(line) as RpcMessage;
        } catch {
          return { unparsed: line };
        }
      });
  const answer = async (id: unknown, timeoutMs = 90_000): Promise<RpcMessage> => {
    const deadline = Date.now() + timeoutMs;
    let ended = false;
    void stk.exited.then(() => (ended = true));
    for (;;) {
      const found = lines().find(
        (message) => 'id' in message && message.id === id && ('result' in message || 'error' in message),
      );
      if (found) return found;
      if (ended || Date.now() > deadline) {
        throw new Error(
          `no answer with id ${JSON.stringify(id)} ${ended ? 'before stk ended' : `within ${timeoutMs} ms`}\nstdout: ${stk.stdout().slice(-800)}\nstderr: ${stk.stderr().slice(-500)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  return {
    process: stk,
    send: (message) =>
      void stk.child.stdin?.write(`${typeof message === 'string' ? message : JSON.stringify(message)}\n`),
    answer,
    lines,
    async endInput(timeoutMs = 10_000) {
      stk.child.stdin?.end();
      const timer = setTimeout(() => void stk.stop(), timeoutMs);
      const code = await stk.exited;
      clearTimeout(timer);
      return code;
    },
  };
}
