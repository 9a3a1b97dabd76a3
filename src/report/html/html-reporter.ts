/** `--reporter html`: writes `<outputDir>/report/index.html` at the end of the run. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Reporter } from '../reporter.ts';
import { renderHtmlReport } from './render-html.ts';

export const HTML_REPORT_DIR = 'report';
export const HTML_REPORT_FILE = join(HTML_REPORT_DIR, 'index.html');

export function createHtmlReporter(outputDir: string): Reporter {
  return {
    onRunEnd: async (report) => {
      const file = join(outputDir, HTML_REPORT_FILE);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, renderHtmlReport(report));
    },
  };
}
