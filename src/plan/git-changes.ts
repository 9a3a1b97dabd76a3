/**
 * The files a change touches, read from git: everything that differs between
 * the working tree and the merge-base of HEAD with a base (committed since,
 * staged, unstaged), plus untracked files that are not ignored. Paths come
 * back relative to the catalog root, POSIX style; a path outside the root
 * keeps its `../` prefix (nothing in the catalog can name it).
 */
import { execFileSync } from 'node:child_process';
import { relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.ts';

export interface ChangedFiles {
  /** What the user asked for, or the default branch that was found. */
  readonly base: string;
  /** The commit compared against (merge-base of HEAD and `base`). */
  readonly mergeBase: string;
  readonly files: readonly string[];
}

/** Tried in order when no base is given and the remote names no default branch. */
const DEFAULT_BRANCHES = ['main', 'master', 'origin/main', 'origin/master'];

export function readChangedFiles(root: string, base?: string): ChangedFiles {
  const top = git(root, ['rev-parse', '--show-toplevel'], 'is not inside a git repository').trim();
  const chosen = base ?? defaultBranch(root);
  const mergeBase = git(root, ['merge-base', chosen, 'HEAD'], `has no common history with '${chosen}'`).trim();
  const changed = git(top, ['diff', '--name-only', '--no-renames', '-z', mergeBase, '--'], 'cannot be compared');
  const untracked = git(top, ['ls-files', '--others', '--exclude-standard', '-z'], 'cannot list untracked files');
  const files = new Set<string>();
  for (const path of `${changed}\0${untracked}`.split('\0')) {
    if (path !== '') files.add(relative(root, resolve(top, path)).split(sep).join('/'));
  }
  return { base: chosen, mergeBase, files: [...files].sort() };
}

/** `origin/HEAD` when a remote says which branch is the default, else the first of main/master that exists. */
function defaultBranch(root: string): string {
  const remote = tryGit(root, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'])?.trim();
  if (remote) return remote;
  const found = DEFAULT_BRANCHES.find((name) => tryGit(root, ['rev-parse', '--verify', '--quiet', `${name}^{commit}`]) !== undefined);
  if (found) return found;
  throw new UsageError('--changed: no default branch found (no origin/HEAD, main or master)', 'Name the base to compare against, e.g. --changed=develop or --changed=HEAD~3.');
}

function git(cwd: string, args: readonly string[], failure: string): string {
  const output = tryGit(cwd, args);
  if (output !== undefined) return output;
  throw new UsageError(`--changed: ${cwd} ${failure} (git ${args.join(' ')} failed)`, 'Run from a git checkout and pass a base that exists, e.g. --changed=main; or select without --changed.');
}

function tryGit(cwd: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}
