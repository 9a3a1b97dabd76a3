// Whether dist/ holds a build of the current sources. Entry points use the
// compiled JavaScript when it is fresh (fast start) and fall back to the
// TypeScript sources through tsx when it is not (always correct).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));
export const STAMP = 'dist/.build-stamp.json';
const SOURCE_DIRS = ['src', 'reference'];

function walk(dir, visit) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, visit);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) visit(path);
  }
}

/** Newest modification time and count of the compiled sources. */
export function sourceFingerprint(root = PACKAGE_ROOT) {
  let newest = 0;
  let files = 0;
  for (const dir of SOURCE_DIRS) {
    walk(join(root, dir), (path) => {
      files += 1;
      newest = Math.max(newest, statSync(path).mtimeMs);
    });
  }
  return { newest, files };
}

export function buildIsFresh(root = PACKAGE_ROOT) {
  if (process.env.SANTOKIT_IT_FROM_SOURCE === '1') return false;
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, STAMP), 'utf8'));
  } catch {
    return false;
  }
  const current = sourceFingerprint(root);
  return current.files === stamp.files && current.newest <= stamp.newest;
}
