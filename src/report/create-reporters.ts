/** `--reporter list,json,…` → reporter instances. */
import { isAbsolute, join, relative } from 'node:path';
import { UsageError } from '../errors.ts';
import { didYouMean } from '../util/suggest.ts';
import { createDotReporter } from './dot-reporter.ts';
import { createGithubReporter } from './github-reporter.ts';
import { createHtmlReporter, HTML_REPORT_FILE } from './html/html-reporter.ts';
import { createJsonReporter, RESULTS_FILE } from './json-reporter.ts';
import { createJunitReporter } from './junit-reporter.ts';
import { createListReporter, type FailureView } from './list-reporter.ts';
import { isReporterName, REPORTER_NAMES, type ReporterName } from './reporter-names.ts';
import type { Reporter } from './reporter.ts';
import type { Screen } from './screen.ts';

export { REPORTER_NAMES } from './reporter-names.ts';

interface ReporterContext {
  readonly screen: Screen;
  readonly outputDir: string;
  readonly view: FailureView;
}

/** One entry per name in reporter-names.ts: the compiler asks for a new reporter's factory here. */
const FACTORIES: { readonly [N in ReporterName]: (context: ReporterContext) => Reporter } = {
  list: ({ screen, view }) => createListReporter(screen, view),
  dot: ({ screen, view }) => createDotReporter(screen, view),
  json: ({ outputDir }) => createJsonReporter(outputDir),
  junit: ({ outputDir }) => createJunitReporter(outputDir),
  github: ({ screen }) => createGithubReporter(screen),
  html: ({ outputDir }) => createHtmlReporter(outputDir),
};

export interface ReporterOptions {
  /** Failures print everything they hold (`--verbose`). */
  readonly verbose?: boolean;
  /** How paths are shown to the user: relative to here when inside it. */
  readonly cwd?: string;
}

/** The file a reader should open for everything a failure holds: the HTML report, else results.json. */
function fullReportOf(wanted: readonly string[], outputDir: string, cwd: string | undefined): string | undefined {
  const file = wanted.includes('html')
    ? join(outputDir, HTML_REPORT_FILE)
    : wanted.includes('json')
      ? join(outputDir, RESULTS_FILE)
      : undefined;
  if (file === undefined || cwd === undefined) return file;
  const shown = relative(cwd, file);
  return shown.startsWith('..') || isAbsolute(shown) ? file : shown;
}

export function createReporters(
  names: readonly string[],
  screen: Screen,
  outputDir: string,
  options: ReporterOptions = {},
): Reporter[] {
  const given = names
    .flatMap((name) => name.split(','))
    .map((name) => name.trim())
    .filter(Boolean);
  const wanted = given.length > 0 ? given : ['list'];
  const fullReport = fullReportOf(wanted, outputDir, options.cwd);
  const view: FailureView = { verbose: options.verbose ?? false, ...(fullReport === undefined ? {} : { fullReport }) };
  return wanted.map((name) => {
    if (!isReporterName(name))
      throw new UsageError(
        `unknown reporter '${name}'`,
        didYouMean(name, REPORTER_NAMES) || `Reporters: ${REPORTER_NAMES.join(', ')}.`,
      );
    return FACTORIES[name]({ screen, outputDir, view });
  });
}
