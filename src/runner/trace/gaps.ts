/**
 * The measure: a reference file is executed substantially by a capability
 * when its run executed at least `minFunctions` of the file's functions that
 * the baseline (a stack start and its health probes) did not, and those are
 * at least `threshold` of the functions the trace knows in the file. Such a
 * file is a gap unless a `code_refs` entry names it (the file or a folder
 * holding it), the `code_refs` of a capability it depends on name it, or it
 * is listed as shared plumbing.
 */
import type { CapabilityTrace, TracedFile, TraceSettings } from '../../model/trace.ts';
import type { Coverage, FileFunctions } from './v8-coverage.ts';

export const DEFAULT_TRACE_SETTINGS: TraceSettings = { threshold: 0.25, minFunctions: 2 };

export interface GapInputs {
  readonly codeRefs: readonly string[];
  /** `code_refs` of the capabilities it depends on, transitively. */
  readonly dependencyRefs: readonly string[];
  readonly coverage: Coverage;
  readonly baseline: Coverage;
  /** Files or folders (repository-relative) that every request path touches. */
  readonly plumbing: readonly string[];
  readonly settings: TraceSettings;
}

export type Attribution = Pick<CapabilityTrace, 'gaps' | 'named' | 'viaDepends' | 'plumbing' | 'unexecutedRefs'>;

/** A path as a ref may write it: `./` in front, `/` behind, a `#anchor` or `:line` suffix. */
export function refPath(ref: string): string {
  return ref
    .replace(/#.*$/, '')
    .replace(/:\d+(?:-\d+)?$/, '')
    .replace(/^\.\//, '')
    .replace(/\/+$/, '');
}

export function isUnder(file: string, ref: string): boolean {
  const path = refPath(ref);
  return path !== '' && (file === path || file.startsWith(`${path}/`));
}

export function traceFile(file: string, run: FileFunctions, baseline: FileFunctions | undefined): TracedFile {
  const known = new Map([...(baseline?.known ?? []), ...run.known]);
  const beyond = [...run.executed].filter((key) => !baseline?.executed.has(key));
  return {
    file,
    functions: known.size,
    beyondBaseline: beyond.length,
    share: known.size === 0 ? 0 : beyond.length / known.size,
    executed: beyond.map((key) => known.get(key) ?? key),
  };
}

export function isSubstantial(traced: TracedFile, settings: TraceSettings): boolean {
  return traced.beyondBaseline >= Math.max(1, settings.minFunctions) && traced.share >= settings.threshold;
}

export function attribute(inputs: GapInputs): Attribution {
  const gaps: TracedFile[] = [];
  const named: TracedFile[] = [];
  const viaDepends: TracedFile[] = [];
  const plumbing: TracedFile[] = [];
  const touched = new Set<string>();
  for (const [file, run] of inputs.coverage.files) {
    const traced = traceFile(file, run, inputs.baseline.files.get(file));
    if (traced.beyondBaseline > 0) touched.add(file);
    if (!isSubstantial(traced, inputs.settings)) continue;
    if (inputs.codeRefs.some((ref) => isUnder(file, ref))) named.push(traced);
    else if (inputs.dependencyRefs.some((ref) => isUnder(file, ref))) viaDepends.push(traced);
    else if (inputs.plumbing.some((path) => isUnder(file, path))) plumbing.push(traced);
    else gaps.push(traced);
  }
  const unexecutedRefs = inputs.codeRefs.filter(
    (ref) => refPath(ref).startsWith('reference/') && ![...touched].some((file) => isUnder(file, ref)),
  );
  return {
    gaps: bySize(gaps),
    named: bySize(named),
    viaDepends: bySize(viaDepends),
    plumbing: bySize(plumbing),
    unexecutedRefs,
  };
}

function bySize(files: TracedFile[]): TracedFile[] {
  return files.sort((a, b) => b.share - a.share || b.beyondBaseline - a.beyondBaseline || a.file.localeCompare(b.file));
}
