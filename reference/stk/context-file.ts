/**
 * The repository context `.stk/context.json` in the working directory:
 * defaults for the Hub URL, project, env and connection. Only `stk context`
 * writes it; `stk mcp` reads it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './client.ts';

export const CONTEXT_FILE = join('.stk', 'context.json');
export const CONTEXT_KEYS = ['hubUrl', 'project', 'env', 'connection'] as const;
export type ContextKey = (typeof CONTEXT_KEYS)[number];
export type RepoContext = Partial<Record<ContextKey, string>>;

/** The file's known keys; `{}` when there is no file. A file that is not an object of strings fails. */
export function readRepoContext(cwd: string): RepoContext {
  const path = join(cwd, CONTEXT_FILE);
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(`invalid .stk/context.json\n  caused by: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new CliError('invalid .stk/context.json\n  caused by: not a JSON object');
  const context: RepoContext = {};
  for (const key of CONTEXT_KEYS) {
    const value = (parsed as Record<string, unknown>)[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string')
      throw new CliError(`invalid .stk/context.json\n  caused by: '${key}' must be a string`);
    context[key] = value;
  }
  return context;
}

/** Merges `changes` into the file (creating `.stk/`) and returns what it now holds. */
export function writeRepoContext(cwd: string, changes: RepoContext): RepoContext {
  const next = { ...readRepoContext(cwd), ...changes };
  mkdirSync(join(cwd, '.stk'), { recursive: true });
  writeFileSync(join(cwd, CONTEXT_FILE), `${JSON.stringify(next, null, 2)}\n`);
  return next;
}

/** Removes the file; true when there was one. */
export function clearRepoContext(cwd: string): boolean {
  const path = join(cwd, CONTEXT_FILE);
  if (!existsSync(path)) return false;
  rmSync(path);
  return true;
}
