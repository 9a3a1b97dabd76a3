/** `stk context set|show|clear`: the repository context in `.stk/context.json` (read by `stk mcp`). */
import type { Command } from 'commander';
import { CliError } from '../client.ts';
import { define, type Io } from '../command-kit.ts';
import {
  clearRepoContext,
  CONTEXT_KEYS,
  readRepoContext,
  writeRepoContext,
  type RepoContext,
} from '../context-file.ts';

export function registerContextCommands(program: Command, io: Io): void {
  const context = program.command('context').description('the repository context (.stk/context.json)');
  const set = context
    .command('set')
    .option('--hub <url>')
    .option('--project <project>')
    .option('--env <env>')
    .option('--connection <name>');
  define(set, io, async (_client, flags) => {
    const changes: RepoContext = {};
    if (typeof flags.hub === 'string') changes.hubUrl = flags.hub;
    for (const key of ['project', 'env', 'connection'] as const)
      if (typeof flags[key] === 'string') changes[key] = flags[key];
    if (Object.keys(changes).length === 0)
      throw new CliError('nothing to set: give --hub, --project, --env or --connection');
    const saved = writeRepoContext(io.cwd, changes);
    if (flags.json) io.out(JSON.stringify(saved));
  });
  define(context.command('show'), io, async (_client, flags) => {
    const current = readRepoContext(io.cwd);
    if (flags.json) return io.out(JSON.stringify(current));
    const lines = CONTEXT_KEYS.filter((key) => current[key] !== undefined).map((key) => `${key}: ${current[key]}`);
    for (const line of lines.length === 0 ? ['No context.'] : lines) io.out(line);
  });
  define(context.command('clear'), io, async () => {
    clearRepoContext(io.cwd);
  });
}
