import { resolveReportDir, serveReport } from '../../report/html/serve-report.ts';
import { ExitCode } from '../../errors.ts';
import type { CliIo } from '../io.ts';
import { resolveFrom } from '../options.ts';

export interface ShowReportFlags {
  readonly port: number;
  readonly color?: boolean;
}

/** Serves the HTML report until SIGINT/SIGTERM; stopping it that way is how it is meant to end (exit 0). */
export async function showReportCommand(dir: string, flags: ShowReportFlags, io: CliIo): Promise<number> {
  const screen = io.screen(flags.color);
  const root = resolveReportDir(resolveFrom(io.cwd, dir));
  const served = await serveReport(root, flags.port);
  screen.out(`Serving ${root}\n  ${served.url}\nPress Ctrl-C to stop.\n`);
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await served.close();
  return ExitCode.passed;
}
