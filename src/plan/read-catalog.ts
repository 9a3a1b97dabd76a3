/** Disk access for the catalog: document files, and a case-exact view of the repository tree. */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

export const CAPABILITIES_DIR = 'plan/capabilities';
export const SCENARIOS_DIR = 'src/scenarios';

/**
 * Repo-relative paths of the files under `dir` that `keep` accepts, in
 * folders `enter` accepts, sorted. A plain directory walk: the catalog's
 * layout is fixed, and loading and running a glob engine cost as much as
 * reading a thousand documents. Hidden entries are skipped, symbolic links
 * followed; unreadable or missing folders hold nothing.
 */
export function walk(root: string, dir: string, keep: (name: string) => boolean, enter: (path: string) => boolean): string[] {
  const found: string[] = [];
  const visit = (relative: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(join(root, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      const kind = entry.isSymbolicLink() ? statKind(join(root, path)) : entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other';
      if (kind === 'dir' && enter(path)) visit(path);
      else if (kind === 'file' && keep(entry.name)) found.push(path);
    }
  };
  visit(dir);
  return found.sort();
}

function statKind(path: string): 'dir' | 'file' | 'other' {
  try {
    const stats = statSync(path);
    return stats.isDirectory() ? 'dir' : stats.isFile() ? 'file' : 'other';
  } catch {
    return 'other';
  }
}

/** Every `plan/capabilities/<domain>/*.md` except the README guides, sorted. */
export async function findCapabilityFiles(root: string): Promise<string[]> {
  return walk(root, CAPABILITIES_DIR, (name) => name.endsWith('.md') && name !== 'README.md', () => true);
}

const SCENARIO_SOURCE = /\.(ts|mts|js|mjs)$/;

/** Scenario modules: `src/scenarios/**` sources outside kit/ and fixtures/, tests excluded. */
export async function findScenarioFiles(root: string, dir = SCENARIOS_DIR): Promise<string[]> {
  const skipped = new Set([`${dir}/kit`, `${dir}/fixtures`]);
  const keep = (name: string) => SCENARIO_SOURCE.test(name) && !name.includes('.test.') && !name.endsWith('.d.ts');
  return walk(root, dir, keep, (path) => !skipped.has(path) && !path.endsWith('/node_modules'));
}

export type PathState = 'exact' | 'case-mismatch' | 'missing';

/** Answers whether a repo-relative path exists with exactly this letter case, on any OS. */
export interface RepoTree {
  stat(path: string): { readonly state: PathState; readonly actual?: string };
}

export function createRepoTree(root: string): RepoTree {
  const listings = new Map<string, { exact: ReadonlySet<string>; lower: ReadonlyMap<string, string> } | null>();
  const answers = new Map<string, ReturnType<RepoTree['stat']>>();
  const list = (dir: string) => {
    let listing = listings.get(dir);
    if (listing === undefined) {
      try {
        const entries = readdirSync(join(root, dir));
        listing = { exact: new Set(entries), lower: new Map(entries.map((entry) => [entry.toLowerCase(), entry])) };
      } catch {
        listing = null;
      }
      listings.set(dir, listing);
    }
    return listing;
  };
  const resolve = (path: string): ReturnType<RepoTree['stat']> => {
    let dir = '';
    let exact = true;
    for (const part of path.split('/')) {
      if (part === '' || part === '.') continue;
      const listing = list(dir);
      const match = listing === null ? undefined : listing.exact.has(part) ? part : listing.lower.get(part.toLowerCase());
      if (match === undefined) return { state: 'missing' };
      if (match !== part) exact = false;
      dir = dir === '' ? match : `${dir}/${match}`;
    }
    return exact ? { state: 'exact' } : { state: 'case-mismatch', actual: dir };
  };
  return {
    stat(path) {
      let answer = answers.get(path);
      if (answer === undefined) {
        answer = resolve(path);
        answers.set(path, answer);
      }
      return answer;
    },
  };
}
