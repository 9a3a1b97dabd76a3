/** Writes the run report, the machine oracle, to `<outputDir>/results.json`. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Reporter } from './reporter.ts';

export const RESULTS_FILE = 'results.json';

export function createJsonReporter(outputDir: string): Reporter {
  return {
    onRunEnd: async (report) => {
      await mkdir(outputDir, { recursive: true });
      await writeFile(join(outputDir, RESULTS_FILE), `${JSON.stringify(report, null, 2)}\n`);
    },
  };
}
