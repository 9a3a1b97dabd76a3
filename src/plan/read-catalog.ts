/** Disk access for the catalog: document files, and a case-exact view of the repository tree. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fg from 'fast-glob';

export const CAPABILITIES_DIR = 'plan/capabilities';
export const SCENARIOS_DIR = 'src/scenarios';

/** Every `plan/capabilities/<domain>/*.md` except the README guides, sorted. */
export async function findCapabilityFiles(root: string): Promise<string[]> {
  const files = await fg(`${CAPABILITIES_DIR}/**/*.md`, { cwd: root, ignore: ['**/README.md'], onlyFiles: true });
  return files.sort();
}

/** Scenario modules: `src/scenarios/**` sources outside kit/ and fixtures/, tests excluded. */
export async function findScenarioFiles(root: string, dir = SCENARIOS_DIR): Promise<string[]> {
  const files = await fg(`${dir}/**/*.{ts,mts,js,mjs}`, {
    cwd: root,
    ignore: [`${dir}/kit/**`, `${dir}/fixtures/**`, '**/*.test.*', '**/*.d.ts'],
    onlyFiles: true,
  });
  return files.sort();
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
