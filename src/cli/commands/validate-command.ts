import { ExitCode } from '../../errors.ts';
import { loadCatalog } from '../../plan/load-catalog.ts';
import { validateCatalog } from '../../plan/validate.ts';
import { formatValidation, type ValidationFormat } from '../../report/validation-format.ts';
import type { CliIo } from '../io.ts';
import { resolveFrom } from '../options.ts';

export interface ValidateFlags {
  readonly root: string;
  readonly format: ValidationFormat;
  readonly relaxedStatus?: boolean;
  readonly expectations?: string;
  readonly color?: boolean;
}

/** Exit 0 when clean (warnings allowed), 2 with any error. */
export async function validateCommand(flags: ValidateFlags, io: CliIo): Promise<number> {
  const screen = io.screen(flags.color);
  const catalog = await loadCatalog(
    resolveFrom(io.cwd, flags.root),
    flags.expectations ? { expectations: resolveFrom(io.cwd, flags.expectations) } : {},
  );
  const report = validateCatalog(catalog, { relaxedStatus: flags.relaxedStatus ?? false });
  screen.out(formatValidation(report, flags.format, screen.colors));
  return report.ok ? ExitCode.passed : ExitCode.invalidInput;
}
