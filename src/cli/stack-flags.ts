/** Flags that choose and configure the stack, shared by `run` and `stack up`. */
import { Option, type Command } from 'commander';
import type { StackOptions } from '../stack/index.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import { DB_SOURCES, STACK_KINDS } from '../model/stack.ts';
import type { StackProvider } from '../stack/types.ts';

export function addStackOptions(command: Command): Command {
  return command
    .addOption(new Option('--stack <kind>', 'which stack to start').choices(STACK_KINDS).default('embedded'))
    .option('--hub-bin <path>', 'process stack: the Hub executable')
    .option('--bridge-bin <path>', 'process stack: the Bridge executable')
    .option('--stk-bin <path>', 'process/external stack: the stk executable')
    .addOption(new Option('--db <source>', 'process stack: where Postgres comes from').choices(DB_SOURCES))
    .option('--hub-url <url>', 'external stack: the running Hub')
    .option('--bridge-url <url>', 'external stack: the running Bridge')
    .option('--database-url <url>', 'admin Postgres URL (default: $DATABASE_URL)')
    .option('--operator-email <email>', 'operator the scenarios log in as', 'owner@example.com')
    .option('--operator-password <password>', 'password of that operator', 'password');
}

/** The options above, parsed: the stack's own options under their names, the operator as two flags. */
export interface StackFlags extends Pick<
  StackOptions,
  'stack' | 'hubBin' | 'bridgeBin' | 'stkBin' | 'db' | 'hubUrl' | 'bridgeUrl' | 'databaseUrl' | 'verbose'
> {
  readonly operatorEmail: string;
  readonly operatorPassword: string;
}

/** Loads the stack layer only when a stack is really started. */
export function stackProviderFactory(flags: StackFlags, env: NodeJS.ProcessEnv): () => Promise<StackProvider> {
  const databaseUrl = flags.databaseUrl ?? env.DATABASE_URL;
  const options: StackOptions = {
    stack: flags.stack,
    repoRoot: PACKAGE_ROOT,
    verbose: flags.verbose ?? false,
    operator: { email: flags.operatorEmail, password: flags.operatorPassword },
    ...(flags.hubBin ? { hubBin: flags.hubBin } : {}),
    ...(flags.bridgeBin ? { bridgeBin: flags.bridgeBin } : {}),
    ...(flags.stkBin ? { stkBin: flags.stkBin } : {}),
    ...(flags.db ? { db: flags.db } : {}),
    ...(flags.hubUrl ? { hubUrl: flags.hubUrl } : {}),
    ...(flags.bridgeUrl ? { bridgeUrl: flags.bridgeUrl } : {}),
    ...(databaseUrl ? { databaseUrl } : {}),
  };
  return async () => (await import('../stack/index.ts')).createStackProvider(options);
}
