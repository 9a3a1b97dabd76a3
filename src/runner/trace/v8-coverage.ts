/**
 * Reads the files Node writes under NODE_V8_COVERAGE and keeps what concerns
 * the reference stack: for each `reference/**.ts` file, the functions V8 knew
 * of and those that ran at least once. The compiled `dist/reference/**.js` and
 * the TypeScript run through tsx both count as their `.ts` file, and a
 * function is named by the TypeScript line it starts on (through the source
 * map Node records next to the coverage), so the two ways of running agree.
 * Functions with no place in the TypeScript (helpers a compiler injects) are
 * left out.
 */
import { readdir, readFile } from 'node:fs/promises';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FileFunctions {
  /**
   * Every function seen, keyed by the .ts line it starts on (the compiled and the tsx-run JavaScript map a
   * function to the same line, not always the same column), with a name to show. The module body is left out.
   */
  readonly known: Map<string, string>;
  /** Keys of the functions that ran. */
  readonly executed: Set<string>;
}

export interface Coverage {
  readonly files: Map<string, FileFunctions>;
  /** Processes that executed reference code. */
  readonly processes: number;
}

interface V8Function {
  readonly functionName: string;
  readonly ranges: readonly { readonly startOffset: number; readonly count: number }[];
}
interface V8Script {
  readonly url: string;
  readonly functions: readonly V8Function[];
}
interface CachedMap {
  readonly lineLengths: readonly number[];
  readonly data: SourceMapPayload;
}
interface V8CoverageFile {
  readonly result?: readonly V8Script[];
  readonly 'source-map-cache'?: Readonly<Record<string, CachedMap>>;
}

interface Locator {
  readonly map: SourceMap;
  /** Offset at which each generated line starts. */
  readonly lineStarts: readonly number[];
}

/** Source maps parsed once per script version, shared by every coverage file of a trace. */
export type LocatorCache = Map<string, Locator>;

/** `reference/<path>.ts` for a script of the reference stack under `packageRoot`, else undefined. */
export function referenceFileOf(url: string, packageRoot: string): string | undefined {
  if (!url.startsWith('file:')) return undefined;
  const path = relative(packageRoot, fileURLToPath(url.replace(/[?#].*$/, '')))
    .split(sep)
    .join('/');
  if (path.split('/').includes('node_modules') || /\.test\.[cm]?[jt]s$/.test(path)) return undefined;
  if (path.startsWith('dist/reference/') && path.endsWith('.js')) return `${path.slice('dist/'.length, -3)}.ts`;
  if (path.startsWith('reference/') && path.endsWith('.ts')) return path;
  return undefined;
}

export async function readCoverageDir(
  dir: string,
  packageRoot: string,
  cache: LocatorCache = new Map(),
): Promise<Coverage> {
  const files = new Map<string, FileFunctions>();
  const pids = new Set<string>();
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return { files, processes: 0 };
  }
  for (const name of names) {
    const parsed = await readJson(join(dir, name));
    if (parsed && addCoverageFile(parsed, packageRoot, files, cache))
      pids.add(/^coverage-(\d+)-/.exec(name)?.[1] ?? name);
  }
  return { files, processes: pids.size };
}

/** A file cut short (a process killed while writing) is skipped rather than failing the trace. */
async function readJson(path: string): Promise<V8CoverageFile | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as V8CoverageFile;
  } catch {
    return undefined;
  }
}

/** Merges one process's coverage into `files`; true when it ran reference code. */
export function addCoverageFile(
  coverage: V8CoverageFile,
  packageRoot: string,
  files: Map<string, FileFunctions>,
  cache: LocatorCache,
): boolean {
  let found = false;
  for (const script of coverage.result ?? []) {
    const file = referenceFileOf(script.url, packageRoot);
    if (file === undefined) continue;
    found = true;
    const locate = locator(script.url, file, packageRoot, coverage['source-map-cache']?.[script.url], cache);
    for (const fn of script.functions) {
      const start = fn.ranges[0];
      // Offset 0 is the module body: it runs whenever the file is imported, which says nothing.
      if (start === undefined || start.startOffset === 0) continue;
      const place = locate(start.startOffset);
      if (place) addFunction(files, place, fn.functionName, start.count > 0);
    }
  }
  return found;
}

interface Place {
  readonly file: string;
  readonly key: string;
}

function addFunction(files: Map<string, FileFunctions>, { file, key }: Place, name: string, ran: boolean): void {
  const entry = files.get(file) ?? { known: new Map<string, string>(), executed: new Set<string>() };
  files.set(file, entry);
  const named = entry.known.get(key);
  if (named === undefined || (named === key && name !== '')) entry.known.set(key, name || key);
  if (ran) entry.executed.add(key);
}

/**
 * Offset in the generated script → the .ts file and line the function comes
 * from: a file's own map names that file, a bundle's map (stk's) each
 * function's own file. Undefined for code no reference .ts has (helpers a
 * compiler injects, dependencies inside a bundle).
 */
function locator(
  url: string,
  file: string,
  packageRoot: string,
  cached: CachedMap | undefined,
  cache: LocatorCache,
): (offset: number) => Place | undefined {
  if (cached === undefined) return (offset) => ({ file, key: `@${offset}` });
  const { map, lineStarts } = parsedMap(url, cached, cache);
  const root = cached.data.sourceRoot ? cached.data.sourceRoot.replace(/\/?$/, '/') : '';
  return (offset) => {
    const line = lastAtOrBefore(lineStarts, offset);
    const entry = map.findEntry(line, offset - (lineStarts[line] ?? 0));
    if (!('originalLine' in entry)) return undefined;
    const source = entry.originalSource ? sourceFile(`${root}${entry.originalSource}`, url, packageRoot) : file;
    return source === undefined ? undefined : { file: source, key: `line ${entry.originalLine + 1}` };
  };
}

function sourceFile(source: string, scriptUrl: string, packageRoot: string): string | undefined {
  try {
    return referenceFileOf(new URL(source, scriptUrl).href, packageRoot);
  } catch {
    return undefined;
  }
}

function parsedMap(url: string, cached: CachedMap, cache: LocatorCache): Locator {
  const id = `${url}\0${cached.lineLengths.length}\0${cached.data.mappings.length}`;
  let found = cache.get(id);
  if (found === undefined) {
    const lineStarts: number[] = [];
    let offset = 0;
    for (const length of cached.lineLengths) {
      lineStarts.push(offset);
      offset += length + 1;
    }
    found = { map: new SourceMap(cached.data), lineStarts };
    cache.set(id, found);
  }
  return found;
}

/** Index of the last element ≤ value in an ascending list (0 when none is). */
function lastAtOrBefore(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((sorted[middle] ?? 0) <= value) low = middle;
    else high = middle - 1;
  }
  return low;
}
