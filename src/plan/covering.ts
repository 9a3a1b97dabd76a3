/**
 * Selection by code (`--covering <file>`): the capabilities whose `code_refs`
 * name a file, or a folder holding it. Mutation testing asks this for every
 * mutant: which scenarios claim to prove the code the mutant changed.
 *
 * Capabilities that merely depend on a claiming one are left out, unlike
 * `--changed`: a change must rerun everything it can break, but a mutant
 * should be killed by the scenarios of the documents that claim its file.
 * One that only a dependent's scenario catches shows a document whose
 * `code_refs` forget that file, and pulling dependents in would hide that
 * and make every mutant cost more scenarios.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.ts';
import { closest } from '../util/suggest.ts';
import type { CapabilityDocument } from './types.ts';

export interface CoveringReason {
  readonly file: string;
  /** The `code_refs` entry that names the file or a folder holding it. */
  readonly ref: string;
}

export interface Covering {
  readonly files: readonly string[];
  /** Capability id → the code_refs entries that name the files; sorted by id. */
  readonly capabilities: ReadonlyMap<string, readonly CoveringReason[]>;
}

type Claimant = Pick<CapabilityDocument, 'id' | 'codeRefs'>;

function normalRef(ref: string): string {
  return ref.replace(/^\.\//, '').replace(/\/+$/, '');
}

/** Whether a code_refs entry names the file or a folder holding it (for a folder given: also what lies in it). */
export function refCovers(ref: string, file: string): boolean {
  const path = normalRef(ref);
  return path !== '' && (file === path || file.startsWith(`${path}/`) || path.startsWith(`${file}/`));
}

/** The file as a POSIX path relative to the root: given relative to the working directory, or else to the root. */
export function repoRelative(root: string, cwd: string, given: string): string {
  const fromCwd = isAbsolute(given) ? given : resolve(cwd, given);
  const absolute = existsSync(fromCwd) ? fromCwd : resolve(root, given);
  if (!existsSync(absolute)) {
    throw new UsageError(`--covering: no such file or folder '${given}'`, 'Give a path under the repository root, e.g. reference/bridge/where.ts.');
  }
  const path = relative(root, absolute).split(sep).join('/');
  if (path.startsWith('../') || path === '..' || isAbsolute(path)) {
    throw new UsageError(`--covering: '${given}' lies outside the repository root ${root}`, 'code_refs name paths inside the repository.');
  }
  if (path === '') throw new UsageError('--covering: give a file or a folder below the root, not the root itself', 'e.g. --covering reference/bridge/where.ts');
  return path;
}

function unattributed(file: string, documents: readonly Claimant[]): UsageError {
  const refs = [...new Set(documents.flatMap((document) => document.codeRefs.map((ref) => normalRef(ref.value))))].sort();
  const near = closest(file, refs);
  const nearNote = near.length > 0 ? ` Paths the code_refs do name nearby: ${near.join(', ')}.` : '';
  return new UsageError(
    `--covering ${file}: no capability's code_refs name this file or a folder holding it`,
    `Add it to the code_refs of the capabilities whose scenarios exercise it, or select them with --capability.${nearNote}`,
  );
}

/** Capabilities claiming each file; every file must be claimed by at least one. */
export function coveringOf(documents: readonly Claimant[], files: readonly string[]): Covering {
  const found = new Map<string, CoveringReason[]>();
  for (const file of files) {
    let claimed = false;
    for (const document of documents) {
      const id = document.id?.value;
      if (id === undefined) continue;
      for (const ref of document.codeRefs) {
        if (!refCovers(ref.value, file)) continue;
        found.set(id, [...(found.get(id) ?? []), { file, ref: ref.value }]);
        claimed = true;
      }
    }
    if (!claimed) throw unattributed(file, documents);
  }
  return { files, capabilities: new Map([...found].sort(([a], [b]) => a.localeCompare(b))) };
}
