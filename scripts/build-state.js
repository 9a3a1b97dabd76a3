// Whether dist/ holds a build of the current sources, part by part: the
// runner (everything under src/) and each reference service (the sources its
// entry point imports, as the build found them). An entry point runs the
// compiled JavaScript of a fresh part (fast start) and the TypeScript sources
// of a stale one through tsx (always correct), so an edit to one service
// leaves the runner, stk and the other services on their build.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));
export const STAMP = 'dist/.build-stamp.json';
export const SERVICES = ['hub', 'bridge', 'idp', 'objectstore', 'stk'];

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

function sourcesUnder(root, dir) {
  const files = [];
  walk(join(root, dir), (path) => files.push(path.slice(root.length).replace(/^\/+/, '')));
  return files;
}

/** Newest modification time (ms) of the given files under root; Infinity when one is gone. */
function newestOf(root, files) {
  let newest = 0;
  for (const file of files) {
    try {
      newest = Math.max(newest, statSync(join(root, file)).mtimeMs);
    } catch {
      return Number.POSITIVE_INFINITY;
    }
  }
  return newest;
}

/**
 * The sources a service's entry point imports, statically or through an
 * import() of a literal path, as esbuild's dependency scan finds them;
 * every reference source when esbuild is not installed.
 */
async function serviceSources(root, service) {
  try {
    const esbuild = await import('esbuild');
    const scan = await esbuild.build({
      entryPoints: [join(root, 'reference', service, 'main.ts')],
      absWorkingDir: root,
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'silent',
    });
    return Object.keys(scan.metafile.inputs).filter((file) => file.endsWith('.ts') && !file.includes('node_modules'));
  } catch {
    return sourcesUnder(root, 'reference');
  }
}

/** What a build stamps, taken before it compiles: each part's sources and the newest of their times. */
export async function sourceFingerprint(root = PACKAGE_ROOT) {
  const runner = sourcesUnder(root, 'src');
  const services = {};
  for (const service of SERVICES) {
    const files = await serviceSources(root, service);
    services[service] = { newest: newestOf(root, files), files };
  }
  return { runner: { newest: newestOf(root, runner), files: runner.length }, services };
}

/** Whether `part` ('runner' or a service of SERVICES) can run from dist/. */
export function buildIsFresh(root = PACKAGE_ROOT, part = 'runner') {
  if (process.env.SANTOKIT_IT_FROM_SOURCE === '1') return false;
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, STAMP), 'utf8'));
  } catch {
    return false;
  }
  if (part === 'runner') {
    const files = sourcesUnder(root, 'src');
    return stamp.runner?.files === files.length && newestOf(root, files) <= stamp.runner.newest;
  }
  const service = stamp.services?.[part];
  if (!service || !Array.isArray(service.files)) return false;
  return newestOf(root, service.files) <= service.newest;
}
