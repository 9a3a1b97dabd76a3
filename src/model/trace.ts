/**
 * What `santokit-it trace` finds: per capability, the reference files its
 * scenarios execute beyond what a bare stack start executes, and which of
 * them its `code_refs` do not name.
 */

/** One reference file as a capability's run executed it. */
export interface TracedFile {
  /** Repository-relative TypeScript path, `reference/hub/routes/apply.ts`. */
  readonly file: string;
  /** Functions of the file the trace knows of (its module body left out). */
  readonly functions: number;
  /** Of those, how many ran in this capability's run and not in the baseline. */
  readonly beyondBaseline: number;
  /** beyondBaseline ÷ functions, 0…1. */
  readonly share: number;
  /** Names of the functions that ran beyond the baseline (anonymous ones as `line:column`). */
  readonly executed: readonly string[];
}

export interface CapabilityTrace {
  readonly id: string;
  /** Exit code of the capability's run (0: every scenario passed). */
  readonly runExitCode: number;
  readonly durationMs: number;
  /** Node processes of the reference stack that wrote coverage (services and every stk). */
  readonly processes: number;
  /** Executed substantially, named by no `code_refs` entry and not plumbing: what the document forgets. */
  readonly gaps: readonly TracedFile[];
  /** Executed substantially and named by a `code_refs` entry (the file or a folder holding it). */
  readonly named: readonly TracedFile[];
  /**
   * Executed substantially and named by the `code_refs` of a capability it depends on (transitively): what its
   * scenarios set up through that capability. `--changed` selects dependents with what they depend on.
   */
  readonly viaDepends: readonly TracedFile[];
  /** Executed substantially but listed as shared plumbing, so never a gap. */
  readonly plumbing: readonly TracedFile[];
  /** `code_refs` entries under reference/ that the run did not execute beyond the baseline at all. */
  readonly unexecutedRefs: readonly string[];
}

export interface TraceSettings {
  /** Smallest share of a file's functions, beyond the baseline, that counts as substantial. */
  readonly threshold: number;
  /** Smallest number of functions beyond the baseline that counts as substantial. */
  readonly minFunctions: number;
}

export interface TraceReport {
  readonly settings: TraceSettings;
  /** What a stack start and its health probes execute: subtracted from every capability. */
  readonly baseline: { readonly processes: number; readonly files: number; readonly durationMs: number };
  readonly capabilities: readonly CapabilityTrace[];
  readonly durationMs: number;
  /** Where the coverage and the runs' reports were written. */
  readonly outputDir: string;
}
