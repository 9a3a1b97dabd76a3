/**
 * The first phase of a run, plain calls before anything starts: load the
 * catalog, validate it, select. Its result says which phase the run reached,
 * so nothing later has to ask whether an earlier step happened.
 */
import { UsageError } from '../errors.ts';
import type { ValidationReport } from '../model/validation.ts';
import { blockingIssues } from '../plan/blocking.ts';
import type { Catalog } from '../plan/catalog.ts';
import { loadCatalog } from '../plan/load-catalog.ts';
import { selectScenarios, type Selection, type SelectionFilters } from '../plan/select.ts';
import { validateCatalog } from '../plan/validate.ts';

export interface PlanOptions {
  readonly root: string;
  readonly cwd: string;
  readonly filters: SelectionFilters;
  readonly validate: boolean;
  readonly relaxedStatus: boolean;
  /** Absolute path of the known-failure baseline (`--expectations`); the config's otherwise. */
  readonly expectations?: string;
  readonly passWithNoScenarios: boolean;
}

export type Planning =
  | {
      readonly phase: 'planned';
      readonly catalog: Catalog;
      readonly validation?: ValidationReport;
      readonly selection: Selection;
      /** Worth a line once the run has started: a catalog run in spite of path errors, selection notes. */
      readonly notices: readonly string[];
    }
  | {
      /** Stopped before anything started: a catalog that cannot load or is invalid, or nothing selected. */
      readonly phase: 'refused';
      readonly error: unknown;
      readonly catalog?: Catalog;
      readonly validation?: ValidationReport;
    };

export async function planRun(options: PlanOptions): Promise<Planning> {
  let catalog: Catalog | undefined;
  let validation: ValidationReport | undefined;
  try {
    catalog = await loadCatalog(options.root, options.expectations ? { expectations: options.expectations } : {});
    validation = options.validate ? validateCatalog(catalog, { relaxedStatus: options.relaxedStatus }) : undefined;
    const notices = validation ? checkValidation(catalog, validation) : [];
    const selection = selectScenarios(catalog, options.filters, options.cwd);
    if (selection.scenarios.length === 0 && !options.passWithNoScenarios && !selection.emptyIsAnswer) {
      throw new UsageError(
        'no scenarios selected',
        'Widen the filters (santokit-it list shows what they select), or pass --pass-with-no-scenarios.',
      );
    }
    return {
      phase: 'planned',
      catalog,
      selection,
      notices: [...notices, ...(selection.notes ?? [])],
      ...(validation ? { validation } : {}),
    };
  } catch (error) {
    return { phase: 'refused', error, ...(catalog ? { catalog } : {}), ...(validation ? { validation } : {}) };
  }
}

/** Throws for issues that block a run; errors only in spec_refs/code_refs paths let it go ahead, with a notice. */
function checkValidation(catalog: Catalog, validation: ValidationReport): string[] {
  if (validation.ok) return [];
  if (blockingIssues(catalog, validation.issues).length > 0) {
    throw new UsageError(
      'the capability catalog is invalid',
      'Fix the issues above (santokit-it validate lists them), or pass --no-validate.',
    );
  }
  return [
    `the catalog has ${validation.summary.errors} error(s) in spec_refs/code_refs paths only: running anyway (santokit-it validate fails on them)`,
  ];
}
