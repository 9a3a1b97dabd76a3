/** Imports a scenario module and flattens its exports; a module that throws is data, with its line. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../package-root.ts';

export type ImportedModule =
  | { readonly status: 'ok'; readonly file: string; readonly exports: readonly unknown[] }
  | { readonly status: 'error'; readonly file: string; readonly line: number; readonly message: string };

let typescriptLoader: Promise<void> | undefined;

/**
 * Running from the compiled build, `.ts` scenario modules need the TypeScript
 * loader; it is registered once, on the first such import. Running from
 * source, this module is itself TypeScript, so a loader is already there.
 */
function ensureTypeScriptLoader(file: string): Promise<void> {
  if (!/\.m?ts$/.test(file) || import.meta.url.endsWith('.ts')) return Promise.resolve();
  typescriptLoader ??= import('tsx/esm/api').then(({ register }) => void register());
  return typescriptLoader;
}

/**
 * Running from the compiled build, which the entry point does only while it
 * matches every source under src/, a module of this package's src/ has an
 * exact compiled twin in dist/: importing it needs no TypeScript loader.
 * Source maps are switched on first, so stack traces, and the failure lines
 * read from them, still name the .ts file.
 */
function compiledTwin(root: string, file: string): string | undefined {
  if (import.meta.url.endsWith('.ts') || resolve(root) !== PACKAGE_ROOT) return undefined;
  if (!file.startsWith('src/') || !file.endsWith('.ts')) return undefined;
  const twin = join(PACKAGE_ROOT, 'dist', `${file.slice(0, -'.ts'.length)}.js`);
  if (!existsSync(twin)) return undefined;
  process.setSourceMapsEnabled(true);
  return twin;
}

export async function importModule(root: string, file: string): Promise<ImportedModule> {
  const path = join(root, file);
  try {
    const twin = compiledTwin(root, file);
    if (twin === undefined) await ensureTypeScriptLoader(file);
    const namespace = (await import(pathToFileURL(twin ?? path).href)) as Record<string, unknown>;
    const values = Object.values(namespace).flatMap((value) => (Array.isArray(value) ? (value as unknown[]) : [value]));
    return { status: 'ok', file, exports: [...new Set(values)] };
  } catch (error) {
    return { status: 'error', file, line: errorLine(error, path), message: `cannot load scenario module: ${firstLine(error)}` };
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

function errorLine(error: unknown, path: string): number {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}:(\\d+)`).exec(stack);
  return match?.[1] ? Number(match[1]) : 1;
}
