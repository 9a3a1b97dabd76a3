/**
 * The HTML report: one self-contained file. The run's data sits in a JSON
 * script element, a small page script renders it; the Content-Security-Policy
 * forbids every network request, so the page works from `file://` and cannot
 * reach anywhere even if a body held markup (which is only ever set as text).
 */
import type { RunReport } from '../../model/results.ts';
import { reportData } from './report-data.ts';
import { REPORT_SCRIPT } from './report-script.ts';
import { REPORT_STYLE } from './report-style.ts';

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** JSON that cannot end the script element it sits in, nor break a line in old parsers. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

export function renderHtmlReport(report: RunReport): string {
  const title = `santokit-it report · ${report.status} · ${report.startedAt}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${REPORT_STYLE}</style>`,
    '</head>',
    '<body>',
    '<noscript>This report needs JavaScript; results.json holds the same data.</noscript>',
    '<main id="app"></main>',
    `<script type="application/json" id="report-data">${scriptSafeJson(reportData(report))}</script>`,
    `<script>${REPORT_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
