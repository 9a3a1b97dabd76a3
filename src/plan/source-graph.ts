/**
 * What each test file pulls in, for impact selection: the files it imports,
 * transitively, read as text (nothing is run). TypeScript and JavaScript
 * modules follow their relative imports; Python test files follow their
 * imports (relative ones from their package, absolute ones from each folder
 * above them, as pytest's rootdir and conftest paths make importable) and
 * every `conftest.py` above them, which pytest loads implicitly.
 */
import { readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

export interface SourceGraph {
  /** Repo-relative files `testFile` reaches through imports, transitively, itself excluded. */
  reaches(testFile: string): ReadonlySet<string>;
  /** The text of a file the graph read (test files and what they reach). */
  text(file: string): string | undefined;
}

const TS_IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(])import\s*\(?\s*['"]([^'"]+)['"]/gm;
const PY_FROM = /^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(?:\(([^)]*)\)|([\w., \t]+))/gm;
const PY_IMPORT = /^[ \t]*import[ \t]+([\w., \t]+)/gm;

/** Relative specifiers of ES module imports and re-exports, static and dynamic. */
export function parseScriptImports(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(TS_IMPORT)) {
    const specifier = match[1] ?? match[2];
    if (specifier?.startsWith('.')) found.push(specifier);
  }
  return found;
}

/** Python module names as written: `dsl`, `tests.helpers.assertions`, `.shared`, `..x.y`. */
export function parsePythonImports(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(PY_FROM)) {
    const from = match[1] ?? '';
    found.push(from);
    // `from pkg import module` may name submodules: try each as well.
    for (const name of (match[2] ?? match[3] ?? '').split(',').map((part) => part.trim().split(/\s+/)[0] ?? '')) {
      if (name !== '' && name !== '*') found.push(from.endsWith('.') ? `${from}${name}` : `${from}.${name}`);
    }
  }
  for (const match of text.matchAll(PY_IMPORT)) {
    for (const name of (match[1] ?? '').split(',').map((part) => part.trim().split(/\s+/)[0] ?? '')) if (name !== '') found.push(name);
  }
  return found;
}

export function readSourceGraph(root: string): SourceGraph {
  const texts = new Map<string, string | undefined>();
  const isFile = (path: string): boolean => {
    if (path.startsWith('../') || path.startsWith('/')) return false;
    try {
      return statSync(join(root, path)).isFile();
    } catch {
      return false;
    }
  };
  const read = (file: string): string | undefined => {
    if (!texts.has(file)) texts.set(file, isFile(file) ? readFileSync(join(root, file), 'utf8') : undefined);
    return texts.get(file);
  };
  const direct = (file: string): string[] => {
    const text = read(file);
    if (text === undefined) return [];
    if (file.endsWith('.py')) return [...conftestsAbove(file, isFile), ...parsePythonImports(text).flatMap((name) => resolvePython(file, name, isFile))];
    return parseScriptImports(text).flatMap((specifier) => resolveScript(file, specifier, isFile));
  };
  return {
    reaches(testFile) {
      const seen = new Set<string>();
      const queue = direct(testFile);
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        if (seen.has(next) || next === testFile) continue;
        seen.add(next);
        queue.push(...direct(next));
      }
      return seen;
    },
    text: (file) => read(file),
  };
}

/** `./x.ts`, `./x.js` (compiled-name imports of a `.ts` file), `./x` and `./x/index.ts`. */
function resolveScript(from: string, specifier: string, isFile: (path: string) => boolean): string[] {
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  const stem = base.replace(/\.(m?js|cjs)$/, '');
  const candidates = [base, `${stem}.ts`, `${stem}.mts`, `${stem}.js`, `${stem}.mjs`, `${base}/index.ts`, `${base}/index.js`];
  const found = candidates.find(isFile);
  return found === undefined ? [] : [found];
}

function resolvePython(from: string, name: string, isFile: (path: string) => boolean): string[] {
  const dots = /^\.*/.exec(name)?.[0].length ?? 0;
  const path = name.slice(dots).split('.').filter(Boolean).join('/');
  const folders = dots > 0 ? [ancestor(posix.dirname(from), dots - 1)] : foldersAbove(from);
  for (const folder of folders) {
    const prefix = folder === '' || folder === '.' ? '' : `${folder}/`;
    const candidates = path === '' ? [`${prefix}__init__.py`] : [`${prefix}${path}.py`, `${prefix}${path}/__init__.py`];
    const found = candidates.find(isFile);
    if (found !== undefined) return [found];
  }
  return [];
}

function conftestsAbove(file: string, isFile: (path: string) => boolean): string[] {
  return foldersAbove(file)
    .map((folder) => (folder === '' ? 'conftest.py' : `${folder}/conftest.py`))
    .filter((path) => path !== file && isFile(path));
}

/** The file's folder and each folder above it, up to the root (`''`). */
function foldersAbove(file: string): string[] {
  const folders: string[] = [];
  for (let folder = posix.dirname(file); ; folder = posix.dirname(folder)) {
    folders.push(folder === '.' ? '' : folder);
    if (folder === '.' || folder === '/' || folder === '') return folders;
  }
}

function ancestor(folder: string, levels: number): string {
  let current = folder;
  for (let level = 0; level < levels; level += 1) current = posix.dirname(current);
  return current === '.' ? '' : current;
}
