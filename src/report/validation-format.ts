/** `santokit-it validate` output: text grouped by file, JSON, or GitHub annotations. */
import type { ValidationIssue, ValidationReport } from '../model/validation.ts';
import type { Colors } from './screen.ts';
import { githubEscapeData, githubEscapeProperty } from './github-escape.ts';

export type ValidationFormat = 'text' | 'json' | 'github';

export function formatValidation(report: ValidationReport, format: ValidationFormat, colors: Colors): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  if (format === 'github') return formatGithub(report);
  return `${formatIssues(report, colors)}\n`;
}

export function formatIssues(report: ValidationReport, colors: Colors): string {
  const byFile = new Map<string, ValidationIssue[]>();
  for (const item of report.issues) byFile.set(item.file, [...(byFile.get(item.file) ?? []), item]);
  const blocks = [...byFile.entries()].map(([file, issues]) =>
    [
      colors.underline(file),
      ...issues.map((item) => {
        const tag = item.severity === 'error' ? colors.red('error  ') : colors.yellow('warning');
        return `  ${colors.dim(`${item.line}`.padStart(4))}  ${tag} ${colors.bold(item.code)}  ${item.message}\n        ${colors.dim(`→ ${item.hint}`)}`;
      }),
    ].join('\n'),
  );
  const { summary } = report;
  const codes = Object.entries(summary.byCode)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, count]) => `${code}×${count}`)
    .join(', ');
  const verdict = report.ok ? colors.green('catalog valid') : colors.red('catalog invalid');
  const line = `${verdict}: ${summary.documents} documents, ${summary.scenarios} scenarios, ${summary.errors} errors, ${summary.warnings} warnings${codes ? ` (${codes})` : ''}`;
  return [...blocks, line].join('\n\n');
}

function formatGithub(report: ValidationReport): string {
  const lines = report.issues.map(
    (item) =>
      `::${item.severity === 'error' ? 'error' : 'warning'} file=${githubEscapeProperty(item.file)},line=${item.line},title=${githubEscapeProperty(item.code)}::${githubEscapeData(`${item.message} — ${item.hint}`)}`,
  );
  lines.push(
    `${report.summary.errors} errors, ${report.summary.warnings} warnings in ${report.summary.documents} documents`,
  );
  return `${lines.join('\n')}\n`;
}
