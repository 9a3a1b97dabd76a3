/** Disk access for the catalog: document files, and a case-exact view of the repository tree. */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fg from 'fast-glob';

export const CAPABILITIES_DIR = 'plan/capabilities';
export const SCENARIOS_DIR = 'src/scenarios';

export interface SourceFile {
  /** Repo-relative POSIX path. */
  readonly file: string;
  readonly text: string;
}

/** Every `plan/capabilities/<domain>/*.md` except the README guides, sorted. */
export async function readCapabilityFiles(root: string): Promise<SourceFile[]> {
  const files = await fg(`${CAPABILITIES_DIR}/**/*.md`, { cwd: root, ignore: ['**/README.md'], onlyFiles: true });
  files.sort();
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(join(root, file), 'utf8') })));
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
  const listings = new Map<string, readonly string[] | null>();
  const list = (dir: string): readonly string[] | null => {
    let entries = listings.get(dir);
    if (entries === undefined) {
      try {
        entries = readdirSync(join(root, dir));
      } catch {
        entries = null;
      }
      listings.set(dir, entries);
    }
    return entries;
  };
  return {
    stat(path) {
      const parts = path.split('/').filter((part) => part !== '' && part !== '.');
      let dir = '';
      let exact = true;
      for (const part of parts) {
        const entries = list(dir);
        if (entries === null) return { state: 'missing' };
        const match = entries.includes(part) ? part : entries.find((entry) => entry.toLowerCase() === part.toLowerCase());
        if (match === undefined) return { state: 'missing' };
        if (match !== part) exact = false;
        dir = dir === '' ? match : `${dir}/${match}`;
      }
      return exact ? { state: 'exact' } : { state: 'case-mismatch', actual: dir };
    },
  };
}
