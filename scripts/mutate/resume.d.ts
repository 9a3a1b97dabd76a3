import type { MutationReport, SchemaMutant } from './summary.js';

export declare function sourceHash(source: string): string;
export declare function readJournal(journalFile: string, source: string): (SchemaMutant & { seconds?: number })[];
export declare function startJournal(
  journalFile: string,
  source: string,
  keep: (mutant: SchemaMutant) => boolean,
): void;
export declare function foldedReport(
  report: MutationReport | undefined,
  file: string,
  source: string,
  journaled: readonly SchemaMutant[],
): MutationReport;
export declare function prepareResume(options: {
  file: string;
  source: string;
  incrementalFile: string;
  journalFile: string;
  retest: boolean;
}): void;
export declare function currentReport(options: {
  file: string;
  source: string;
  incrementalFile: string;
  journalFile: string;
}): MutationReport | undefined;
export declare function journalTimes(journalFile: string, source: string): number[];
