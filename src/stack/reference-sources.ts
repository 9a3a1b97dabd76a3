/**
 * What a started stack was built from, part by part: each top folder of the
 * reference stack (hub, bridge, shared, …; its unit tests left out), the
 * lockfile, and any binaries given with --hub-bin and friends (by size and
 * modification time). A warm stack is reused only while every part is the
 * same, and a mismatch can say which part changed.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type SourceParts = Readonly<Record<string, string>>;

function digest(update: (hash: ReturnType<typeof createHash>) => void): string {
  const hash = createHash('sha256');
  update(hash);
  return hash.digest('hex').slice(0, 16);
}

function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return entries
    .filter(
      (entry) =>
        !entry.split('/').some((part) => part === 'node_modules' || part.startsWith('.')) &&
        !/\.test\.[cm]?[jt]s$/.test(entry),
    )
    .filter((entry) => statSync(join(dir, entry)).isFile())
    .sort();
}

function binaryPart(path: string): string {
  try {
    const stat = statSync(path);
    return `${stat.size}:${Math.round(stat.mtimeMs)}`;
  } catch {
    return 'missing';
  }
}

/** `reference/<part>` → hash, `package-lock.json` → hash, and `bin:<path>` → size and mtime of each given binary. */
export function referenceSourceParts(repoRoot: string, binaries: readonly string[] = []): SourceParts {
  const parts: Record<string, string> = {};
  const reference = join(repoRoot, 'reference');
  let folders: string[] = [];
  try {
    folders = readdirSync(reference, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort();
  } catch {
    // No reference stack here (an installed package without it): only the lockfile and binaries count.
  }
  for (const folder of folders) {
    const dir = join(reference, folder);
    parts[`reference/${folder}`] = digest((hash) => {
      for (const file of sourceFiles(dir))
        hash
          .update(file)
          .update('\0')
          .update(readFileSync(join(dir, file)))
          .update('\0');
    });
  }
  parts['package-lock.json'] = digest((hash) => hash.update(safeRead(join(repoRoot, 'package-lock.json'))));
  for (const binary of binaries) parts[`bin:${binary}`] = binaryPart(binary);
  return parts;
}

function safeRead(path: string): Buffer | string {
  try {
    return readFileSync(path);
  } catch {
    return '';
  }
}

/** Parts that differ between two fingerprints (added, removed or changed), sorted. */
export function changedParts(before: SourceParts, now: SourceParts): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(now)])]
    .filter((part) => before[part] !== now[part])
    .sort();
}
