export interface SchemaPosition {
  line: number;
  column: number;
}
export interface SchemaMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  location: { start: SchemaPosition; end: SchemaPosition };
  status?: string;
}
export interface MutationReport {
  files: Record<string, { language?: string; source?: string; mutants: SchemaMutant[] }>;
  [key: string]: unknown;
}
export interface EquivalentEntry {
  file: string;
  line: number;
  mutator: string;
  column?: number;
  original?: string;
  replacement?: string;
  reason: string;
}
export interface FlatMutant {
  file: string;
  id: string;
  line: number;
  column: number;
  mutator: string;
  original: string | undefined;
  replacement: string;
  status: string | undefined;
}
export interface Counts {
  mutants: number;
  killed: number;
  timedOut: number;
  survived: number;
  /** NoCoverage: no claiming capability executed it (it did not run). */
  notExecuted: number;
  equivalent: number;
  errors: number;
  ignored: number;
  pending: number;
}
export interface FileRow extends Counts {
  file: string;
  capabilities: string[];
  score: number | null;
  skipped?: string;
}
export interface CapabilityRow extends Counts {
  id: string;
  files: string[];
  score: number | null;
}
export interface Survivor extends FlatMutant {
  capabilities: string[];
  /** 'not executed by any claiming capability' for a NoCoverage mutant. */
  note?: string;
  /** With a coverage pass: the claiming capabilities whose scenarios ran it (and passed). */
  ranBy?: string[];
}
export interface Summary {
  files: FileRow[];
  capabilities: CapabilityRow[];
  survivors: Survivor[];
  total: Counts & { score: number | null };
}
export declare const DETECTED: readonly string[];
export declare const UNDETECTED: readonly string[];
export declare function oneLine(text: unknown): string;
export declare function originalText(
  source: string | undefined,
  location: { start: SchemaPosition; end: SchemaPosition },
): string | undefined;
export declare function mutantsOf(report: MutationReport | undefined, file: string): FlatMutant[];
export declare function equivalentEntry(
  entries: readonly EquivalentEntry[],
  mutant: FlatMutant,
): EquivalentEntry | undefined;
export declare function score(counts: Counts): number | null;
export declare function summarise(inputs: {
  files: {
    file: string;
    report?: MutationReport;
    capabilities?: string[];
    skipped?: string;
    /** The coverage pass's map: mutant id → the capabilities that executed it. */
    executedBy?: Record<string, string[]>;
  }[];
  equivalent?: readonly EquivalentEntry[];
}): Summary;
export declare function formatSummary(summary: Summary): string;
export declare function formatSurvivor(mutant: Survivor): string;
