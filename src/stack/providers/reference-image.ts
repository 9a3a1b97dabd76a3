/**
 * The reference image's tag is a hash of what goes into it, so the compose
 * provider rebuilds exactly when the reference stack changed and otherwise
 * starts at once (a cached `--build` still costs ~10 s of context upload).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Inputs of docker/reference/Dockerfile besides node_modules, which package-lock.json stands for. */
const INPUTS = ['package.json', 'package-lock.json', 'reference', 'scripts/build-state.js', 'docker/reference'];

export function referenceImageTag(repoRoot: string): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((input) => filesUnder(repoRoot, input))) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(repoRoot, file)))
      .update('\0');
  }
  return `src-${hash.digest('hex').slice(0, 12)}`;
}

function filesUnder(root: string, path: string): string[] {
  let stat;
  try {
    stat = statSync(join(root, path));
  } catch {
    return [];
  }
  if (stat.isFile()) return [path];
  return readdirSync(join(root, path), { recursive: true, encoding: 'utf8' })
    .map((entry) => join(path, entry))
    .filter((entry) => !entry.includes('node_modules') && statSync(join(root, entry)).isFile())
    .sort();
}
