/** Why `--changed` chose what it chose: text for `list --changed`, and the same as JSON. */
import type { ImpactReason } from '../plan/changed.ts';
import type { Covering, CoveringReason } from '../plan/covering.ts';
import type { Selection } from '../plan/select.ts';
import type { Colors } from './screen.ts';

type SelectionImpact = NonNullable<Selection['impact']>;

export function describeReason(reason: ImpactReason): string {
  switch (reason.kind) {
    case 'document':
      return `its document ${reason.file} changed`;
    case 'code_refs':
    case 'spec_refs':
      return reason.ref.replace(/\/+$/, '') === reason.file
        ? `${reason.kind} names ${reason.file}`
        : `${reason.kind} names ${reason.ref}, which holds ${reason.file}`;
    case 'test-file':
      return `its test file ${reason.file} changed`;
    case 'import':
      return `${reason.via} imports ${reason.file}`;
    case 'fixture':
      return `${reason.via} uses fixture '${reason.fixture}' (${reason.file})`;
    case 'depends':
      return `depends on ${reason.on}`;
  }
}

export function formatImpactText(impact: SelectionImpact, colors: Colors): string[] {
  const lines = [
    colors.bold(
      `--changed against ${impact.base} (${impact.mergeBase.slice(0, 10)}): ${impact.files.length} changed files`,
    ),
  ];
  if (impact.everything) {
    lines.push(
      colors.yellow('everything is selected: no capability claims'),
      ...impact.unattributed.map((file) => `  ${file}`),
    );
  }
  for (const [id, reasons] of impact.capabilities) {
    lines.push(
      `${colors.cyan(id)}`,
      ...[...new Set(reasons.map(describeReason))].map((why) => `  ${colors.dim('why:')} ${why}`),
    );
  }
  for (const { file, why } of impact.ignored) lines.push(colors.dim(`ignored: ${file} (${why})`));
  return lines;
}

export function impactJson(impact: SelectionImpact): unknown {
  return {
    base: impact.base,
    mergeBase: impact.mergeBase,
    files: impact.files,
    everything: impact.everything,
    unattributed: impact.unattributed,
    ignored: impact.ignored,
    capabilities: [...impact.capabilities].map(([id, reasons]) => ({
      id,
      why: [...new Set(reasons.map(describeReason))],
      reasons,
    })),
  };
}

function describeCovering(reason: CoveringReason): string {
  const ref = reason.ref.replace(/^\.\//, '').replace(/\/+$/, '');
  if (ref === reason.file) return `code_refs names ${reason.file}`;
  return ref.startsWith(`${reason.file}/`)
    ? `code_refs names ${ref}, in ${reason.file}`
    : `code_refs names ${ref}, which holds ${reason.file}`;
}

/** Why `--covering` chose each capability (dependents are not added). */
export function formatCoveringText(covering: Covering, colors: Colors): string[] {
  const lines = [colors.bold(`--covering ${covering.files.join(', ')}: ${covering.capabilities.size} capabilities`)];
  for (const [id, reasons] of covering.capabilities) {
    lines.push(
      colors.cyan(id),
      ...[...new Set(reasons.map(describeCovering))].map((why) => `  ${colors.dim('why:')} ${why}`),
    );
  }
  return lines;
}

export function coveringJson(covering: Covering): unknown {
  return {
    files: covering.files,
    capabilities: [...covering.capabilities].map(([id, reasons]) => ({
      id,
      why: [...new Set(reasons.map(describeCovering))],
      reasons,
    })),
  };
}
