/** Flag parsing shared by the commands: repeatable lists, durations, counts, filters. */
import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { SelectionFilters } from '../plan/select.ts';

export function collect(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  ];
}

export function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return count;
}

export function parseJobs(value: string): number {
  const jobs = parseCount(value);
  if (jobs < 1) throw new InvalidArgumentError('expected at least 1');
  return jobs;
}

/** `90s`, `2m`, `1500ms` or a bare number of seconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('expected a duration such as 30s, 2m or 1500ms');
  const amount = Number(match[1]);
  const unit = match[2] ?? 's';
  return Math.round(unit === 'ms' ? amount : unit === 'm' ? amount * 60_000 : amount * 1000);
}

/** Scenarios mostly wait on HTTP and Postgres, so twice the cores keeps the machine busy. */
export function defaultJobs(): number {
  return Math.max(2, Math.min(8, availableParallelism() * 2));
}

export function addFilterOptions(command: Command): Command {
  return command
    .option('--from-plan', "only scenarios named by the capabilities' test_refs")
    .option('--domain <domain>', 'select a domain (repeatable, or comma list)', collect)
    .option('--capability <id>', 'select a capability id (repeatable, or comma list)', collect)
    .option('--status <status>', 'select by status: planned, in_progress, implemented (repeatable)', collect)
    .option('--grep <regex>', 'only scenarios whose name matches')
    .option('--with-deps', "add the scenarios of the selected capabilities' dependencies")
    .option(
      '--covering <file>',
      'capabilities whose code_refs name this file or a folder holding it (repeatable); not their dependents: a mutant in the file should fall to the scenarios of the documents that claim it',
      collect,
    )
    .option(
      '--changed [base]',
      'only what a change touches since base (default: the merge-base with the default branch, plus uncommitted files)',
    )
    .option('--last-failed', 'only the scenarios that failed or were flaky when they last ran')
    .option(
      '--shard <i/n>',
      "the i-th of n shards, balanced by recorded durations; a capability's scenarios stay together",
    );
}

export interface FilterFlags {
  readonly fromPlan?: boolean;
  readonly domain?: string[];
  readonly capability?: string[];
  readonly status?: string[];
  readonly grep?: string;
  readonly withDeps?: boolean;
  readonly covering?: string[];
  readonly shard?: string;
  /** `true` for the default base, or the base given. */
  readonly changed?: boolean | string;
  readonly lastFailed?: boolean;
}

export function toFilters(flags: FilterFlags, paths: readonly string[]): SelectionFilters {
  return {
    ...(flags.fromPlan ? { fromPlan: true } : {}),
    ...(flags.domain ? { domains: flags.domain } : {}),
    ...(flags.capability ? { capabilities: flags.capability } : {}),
    ...(flags.status ? { statuses: flags.status } : {}),
    ...(flags.grep !== undefined ? { grep: flags.grep } : {}),
    ...(flags.withDeps ? { withDeps: true } : {}),
    ...(flags.covering?.length ? { covering: flags.covering } : {}),
    ...(flags.shard !== undefined ? { shard: flags.shard } : {}),
    paths,
  };
}

export function resolveFrom(cwd: string, path: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}
