/**
 * A reference service whose sources changed since the last build runs from a
 * bundle of those sources, made with esbuild when the stack starts (some
 * 60 ms for the Bridge): it starts as fast as a built service and spends no
 * CPU on a loader, where running the sources through tsx costs most of a
 * second. Packages stay outside the bundle, which is written beside the
 * service's sources (`reference/<service>/.build/<hash>/`) so they resolve
 * exactly as they do for the sources. Undefined when esbuild is missing or
 * cannot bundle: the caller then runs the sources through tsx, which reports
 * the error itself.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Other bundles older than this are removed; a service loads its one file, and its map, when it starts. */
const KEEP_MS = 10 * 60 * 1000;

type Esbuild = typeof import('esbuild');
type OutputFile = Pick<import('esbuild').OutputFile, 'path' | 'contents'>;

async function loadEsbuild(): Promise<Esbuild | undefined> {
  try {
    return await import('esbuild');
  } catch {
    return undefined;
  }
}

/** The bundle's entry file for `reference/<service>/main.ts`, or undefined (see above). */
export async function bundleStaleService(repoRoot: string, service: string): Promise<string | undefined> {
  const esbuild = await loadEsbuild();
  if (esbuild === undefined) return undefined;
  const buildDir = join(repoRoot, 'reference', service, '.build');
  const staging = join(buildDir, `.staging-${process.pid}-${Date.now()}`);
  try {
    const { outputFiles = [] } = await esbuild.build({
      entryPoints: { main: join(repoRoot, 'reference', service, 'main.ts') },
      outdir: staging,
      // One file, lazy imports included: once loaded, a service never reads its bundle again.
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      sourcemap: 'linked',
      logLevel: 'silent',
    });
    const hash = createHash('sha256');
    for (const file of outputFiles) hash.update(file.path.slice(staging.length)).update(file.contents);
    const target = join(buildDir, hash.digest('hex').slice(0, 16));
    if (existsSync(target)) utimesSync(target, new Date(), new Date());
    else publish(outputFiles, staging, target);
    prune(buildDir, target);
    return join(target, 'main.js');
  } catch {
    return undefined;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Writes the files under `staging`, then renames it to `target`: a run never sees half a bundle. */
function publish(files: readonly OutputFile[], staging: string, target: string): void {
  for (const file of files) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.contents);
  }
  try {
    renameSync(staging, target);
  } catch (error) {
    // Another run published the same bundle first.
    if (!existsSync(target)) throw error;
  }
}

function prune(buildDir: string, keep: string): void {
  const now = Date.now();
  for (const name of readdirSync(buildDir)) {
    const path = join(buildDir, name);
    if (path === keep || name.startsWith('.staging-')) continue;
    try {
      if (now - statSync(path).mtimeMs > KEEP_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by another run meanwhile.
    }
  }
}
