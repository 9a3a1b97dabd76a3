/** Shared plumbing for stk commands: required flags, --json output, the client. */
import type { Command } from 'commander';
import { CliError, createHubClient, type HubClient, type HubResponse } from './client.ts';

export interface Flags {
  readonly json?: boolean;
  readonly [flag: string]: unknown;
}

export interface Io {
  out(line: string): void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

const FALLBACK: Record<string, string> = { project: 'STK_PROJECT', env: 'STK_ENV' };

/** A flag's value (or its STK_* fallback); `Error: missing --<flag>` before any request. */
export function need(flags: Flags, flag: string, io: Io): string {
  const value = flags[flag] ?? (FALLBACK[flag] ? io.env[FALLBACK[flag]] : undefined);
  if (typeof value !== 'string' || value === '')
    throw new CliError(`missing --${flag.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`);
  return value;
}

/** Prints the text lines, or the Hub's body alone under --json. */
export function print(io: Io, flags: Flags, response: HubResponse, lines: () => string[]): void {
  if (flags.json) io.out(response.text.trim());
  else for (const line of lines()) io.out(line);
}

export type Action = (client: HubClient, flags: Flags, io: Io, args: string[]) => Promise<void>;

/** Adds --json and wires the action; errors propagate to main, which prints them. */
export function define(command: Command, io: Io, action: Action): Command {
  return command.option('--json', 'print the Hub response body as JSON').action(async (...raw: unknown[]) => {
    const self = raw.at(-1) as Command;
    const args = raw.slice(0, -2).filter((value): value is string => typeof value === 'string');
    await action(createHubClient(io.env), self.opts<Flags>(), io, args);
  });
}

export function text(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value ?? '');
}
