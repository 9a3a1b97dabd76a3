/** JUnit XML: one testsuite per domain, one testcase per scenario, classname = capability id. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunReport, ScenarioResult } from '../model/results.ts';
import { formatLogTails, formatTranscript } from './format-transcript.ts';
import type { Reporter } from './reporter.ts';

export const JUNIT_FILE = 'junit.xml';

export function escapeXml(text: string): string {
  // XML 1.0 forbids most control characters even when escaped.
  const clean = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
  return clean
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

function time(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function testcase(result: ScenarioResult, strict: boolean): string {
  const attributes = `name="${escapeXml(result.name)}" classname="${escapeXml(result.capability)}" file="${escapeXml(result.file)}" line="${result.line}" time="${time(result.durationMs)}"`;
  const body: string[] = [];
  const failing = result.outcome === 'failed' || (strict && result.outcome === 'unexpected-pass');
  if (failing) {
    const message = result.error?.message ?? `passed although ${result.capability} is ${result.capabilityStatus}`;
    body.push(
      `<failure message="${escapeXml(message)}" type="${result.error?.timedOut ? 'timeout' : 'assertion'}">${escapeXml(result.error?.stack ?? message)}</failure>`,
    );
  } else if (result.outcome === 'skipped' || result.outcome === 'expected-failure') {
    const why =
      result.outcome === 'skipped'
        ? (result.skipReason ?? 'skipped')
        : `expected failure: ${result.capability} is ${result.capabilityStatus}`;
    body.push(`<skipped message="${escapeXml(why)}"/>`);
  }
  const out = [formatTranscript(result.transcript), formatLogTails(result.logTails)].filter(Boolean).join('\n\n');
  if (out) body.push(`<system-out>${escapeXml(out)}</system-out>`);
  return body.length === 0
    ? `    <testcase ${attributes}/>`
    : `    <testcase ${attributes}>\n      ${body.join('\n      ')}\n    </testcase>`;
}

export function renderJunit(report: RunReport): string {
  const domains = new Map<string, ScenarioResult[]>();
  for (const result of report.scenarios) domains.set(result.domain, [...(domains.get(result.domain) ?? []), result]);
  const suites = [...domains.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([domain, results]) => {
      const failures = results.filter(
        (result) => result.outcome === 'failed' || (report.strict && result.outcome === 'unexpected-pass'),
      ).length;
      const skipped = results.filter(
        (result) => result.outcome === 'skipped' || result.outcome === 'expected-failure',
      ).length;
      const duration = results.reduce((total, result) => total + result.durationMs, 0);
      return [
        `  <testsuite name="${escapeXml(domain)}" tests="${results.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time(duration)}">`,
        ...results.map((result) => testcase(result, report.strict)),
        '  </testsuite>',
      ].join('\n');
    });
  const failures = report.scenarios.filter((result) => result.outcome === 'failed').length;
  const header = `<testsuites name="santokit-it" tests="${report.scenarios.length}" failures="${failures}" errors="${report.stack?.failure ? 1 : 0}" time="${time(report.durationMs)}">`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', header, ...suites, '</testsuites>', ''].join('\n');
}

export function createJunitReporter(outputDir: string): Reporter {
  return {
    onRunEnd: async (report) => {
      await mkdir(outputDir, { recursive: true });
      await writeFile(join(outputDir, JUNIT_FILE), renderJunit(report));
    },
  };
}
