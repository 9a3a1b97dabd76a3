/** `--reporter list,json,…` → reporter instances. */
import { UsageError } from '../errors.ts';
import { didYouMean } from '../util/suggest.ts';
import { createDotReporter } from './dot-reporter.ts';
import { createGithubReporter } from './github-reporter.ts';
import { createJsonReporter } from './json-reporter.ts';
import { createJunitReporter } from './junit-reporter.ts';
import { createListReporter } from './list-reporter.ts';
import type { Reporter } from './reporter.ts';
import type { Screen } from './screen.ts';

export const REPORTER_NAMES = ['list', 'dot', 'json', 'junit', 'github'] as const;

export function createReporters(names: readonly string[], screen: Screen, outputDir: string): Reporter[] {
  const wanted = names.flatMap((name) => name.split(',')).map((name) => name.trim()).filter(Boolean);
  return (wanted.length > 0 ? wanted : ['list']).map((name) => {
    switch (name) {
      case 'list':
        return createListReporter(screen);
      case 'dot':
        return createDotReporter(screen);
      case 'json':
        return createJsonReporter(outputDir);
      case 'junit':
        return createJunitReporter(outputDir);
      case 'github':
        return createGithubReporter(screen);
      default:
        throw new UsageError(`unknown reporter '${name}'`, didYouMean(name, REPORTER_NAMES) || `Reporters: ${REPORTER_NAMES.join(', ')}.`);
    }
  });
}
