/**
 * The trace's allow-list: reference files or folders that capabilities
 * execute without depending on them, each with why: what every request
 * passes through (the HTTP apps, the error envelope, stk's command plumbing),
 * what every project fixture runs, or — limited to some capabilities with
 * `only` — a file their scenarios use as a vehicle. A document does not name
 * them for that, so the trace never reports them as gaps.
 *
 * plan/trace-plumbing.yaml:
 *   plumbing:
 *     - path: reference/hub/http.ts
 *       why: request ids, the error envelope and the JSON body parser of every Hub route
 *     - path: reference/bridge/insert.ts
 *       only: [AUTH-003]
 *       why: its scenarios insert rows only to show which project a credential opens
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { UsageError } from '../../errors.ts';
import { refPath } from './gaps.ts';

export const PLUMBING_FILE = 'plan/trace-plumbing.yaml';

export interface PlumbingEntry {
  readonly path: string;
  readonly why: string;
  /** The capabilities it is incidental to; undefined: every capability. */
  readonly only?: readonly string[];
}

/** The paths that are plumbing for capability `id`. */
export function plumbingFor(entries: readonly PlumbingEntry[], id: string): string[] {
  return entries.filter((entry) => entry.only === undefined || entry.only.includes(id)).map((entry) => entry.path);
}

/** The list at `file` (repository-relative); none when the default file does not exist. */
export function readPlumbing(root: string, file: string = PLUMBING_FILE, required = false): PlumbingEntry[] {
  const full = join(root, file);
  if (!existsSync(full)) {
    if (!required) return [];
    throw new UsageError(`TRACE_PLUMBING_MISSING: ${file} does not exist`, 'Give a YAML file with a plumbing: list.');
  }
  const lines = new LineCounter();
  const document = parseDocument(readFileSync(full, 'utf8'), { lineCounter: lines });
  const fail = (node: Node | null | undefined, message: string): never => {
    const line = node?.range ? lines.linePos(node.range[0]).line : 1;
    throw new UsageError(
      `TRACE_PLUMBING_INVALID: ${file}:${line}: ${message}`,
      'Each entry is "- path: <file or folder under the root>" with "why: <one line>".',
    );
  };
  if (document.errors.length > 0) fail(undefined, document.errors[0]?.message ?? 'not YAML');
  const list = isMap(document.contents) ? document.contents.get('plumbing', true) : undefined;
  if (!isSeq(list)) return fail(document.contents, 'expected a top-level "plumbing:" list');
  return list.items.map((item) => {
    if (!isMap(item)) return fail(item as Node, 'an entry must be a mapping with path and why');
    const path = item.get('path', true);
    const why = item.get('why', true);
    if (!isScalar(path) || typeof path.value !== 'string') return fail(item, 'path is missing');
    if (!isScalar(why) || typeof why.value !== 'string' || why.value.trim() === '')
      return fail(item, `${path.value}: say why it is plumbing`);
    if (!existsSync(join(root, refPath(path.value)))) return fail(path, `${path.value} does not exist`);
    const only = item.get('only', true);
    if (only === undefined) return { path: path.value, why: why.value };
    const ids = isSeq(only) ? only.items.map((id) => (isScalar(id) ? id.value : undefined)) : [];
    if (ids.length === 0 || !ids.every((id): id is string => typeof id === 'string'))
      return fail(item, `${path.value}: only must be a list of capability ids`);
    return { path: path.value, why: why.value, only: ids };
  });
}
