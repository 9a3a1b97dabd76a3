/** `stk`: the operator CLI of the reference stack. Exit 0 on success, 1 with `Error: <message>` on stderr otherwise. */
import { Command, CommanderError } from 'commander';
import { CliError } from './client.ts';
import type { Io } from './command-kit.ts';
import { registerContextCommands } from './commands/context.ts';
import { registerGenCommands } from './commands/gen.ts';
import { registerMcpCommands } from './commands/mcp.ts';
import { registerMemberCommands } from './commands/members.ts';
import { registerOidcCommands } from './commands/oidc.ts';
import { registerReleaseCommands } from './commands/release.ts';
import { registerSetupCommands } from './commands/setup.ts';

const io: Io = { out: (line) => void process.stdout.write(`${line}\n`), env: process.env, cwd: process.cwd() };
const program = new Command('stk')
  .description('Santokit operator CLI (reference stack)')
  .exitOverride()
  .showSuggestionAfterError(true);
program.configureOutput({
  writeErr: (message) =>
    void process.stderr.write(message.startsWith('error:') ? `Error: ${message.slice(7)}` : message),
});
registerSetupCommands(program, io);
registerReleaseCommands(program, io);
registerMemberCommands(program, io);
registerOidcCommands(program, io);
registerGenCommands(program, io);
registerContextCommands(program, io);
registerMcpCommands(program, io);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 1;
  } else {
    const json = process.argv.includes('--json');
    if (json && error instanceof CliError && error.body) process.stdout.write(`${error.body.trim()}\n`);
    process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
