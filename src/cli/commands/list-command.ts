import { ExitCode, UsageError } from '../../errors.ts';
import { loadCatalog } from '../../plan/load-catalog.ts';
import { selectScenarios } from '../../plan/select.ts';
import { formatSelection, type ListFormat } from '../../report/selection-format.ts';
import type { CliIo } from '../io.ts';
import { narrowInputs } from '../selection-inputs.ts';
import { resolveFrom, toFilters, type FilterFlags } from '../options.ts';

export interface ListFlags extends FilterFlags {
  readonly root: string;
  readonly format: ListFormat;
  readonly passWithNoScenarios?: boolean;
  readonly color?: boolean;
}

export async function listCommand(paths: readonly string[], flags: ListFlags, io: CliIo): Promise<number> {
  const screen = io.screen(flags.color);
  const catalog = await loadCatalog(resolveFrom(io.cwd, flags.root));
  const selection = selectScenarios(
    catalog,
    { ...toFilters(flags, paths), ...narrowInputs(flags, catalog.root) },
    io.cwd,
  );
  if (selection.scenarios.length === 0 && !flags.passWithNoScenarios && !selection.emptyIsAnswer) {
    throw new UsageError('no scenarios selected', 'Widen the filters, or pass --pass-with-no-scenarios.');
  }
  screen.out(formatSelection(selection, flags.format, screen.colors));
  return ExitCode.passed;
}
