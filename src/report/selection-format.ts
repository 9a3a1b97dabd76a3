/** `santokit-it list` output: text grouped by capability, JSON, or shell words. */
import type { Selection } from '../plan/select.ts';
import { coveringJson, formatCoveringText, formatImpactText, impactJson } from './impact-format.ts';
import type { Colors } from './screen.ts';

export type ListFormat = 'text' | 'json' | 'shell';

export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export function formatSelection(selection: Selection, format: ListFormat, colors: Colors): string {
  if (format === 'shell') return `${selection.scenarios.map((scenario) => shellQuote(scenario.id)).join(' ')}\n`;
  if (format === 'json') return `${JSON.stringify(toJson(selection), null, 2)}\n`;
  const groups = new Map<string, string[]>();
  for (const scenario of selection.scenarios)
    groups.set(scenario.capability, [...(groups.get(scenario.capability) ?? []), scenario.id]);
  const lines: string[] = [];
  for (const [capability, ids] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const document = selection.scenarios.find((scenario) => scenario.capability === capability)?.document;
    // A pytest test that declares no capability and that no document names ('') is selected by path only.
    const status = capability === '' ? 'selected by path' : (document?.status?.value ?? 'not in catalog');
    lines.push(
      `${colors.cyan(capability || '(no capability)')} ${colors.dim(`[${status}]`)} ${document?.title?.value ?? ''}`,
      ...ids.map((id) => `  ${id}`),
    );
  }
  lines.push(colors.dim(`${selection.scenarios.length} scenarios of ${groups.size} capabilities`));
  if (selection.impact) lines.push('', ...formatImpactText(selection.impact, colors));
  if (selection.covering) lines.push('', ...formatCoveringText(selection.covering, colors));
  for (const note of selection.notes ?? []) if (!note.startsWith('--changed')) lines.push(colors.dim(note));
  return `${lines.join('\n')}\n`;
}

function toJson(selection: Selection): unknown {
  return {
    capabilities: selection.capabilities.map((document) => ({
      id: document.id?.value,
      domain: document.domain?.value,
      title: document.title?.value,
      status: document.status?.value,
      depends: document.depends.map((dependency) => dependency.value),
      file: document.file,
      scenarios: selection.scenarios
        .filter((scenario) => scenario.capability === document.id?.value)
        .map((scenario) => scenario.id),
    })),
    scenarios: selection.scenarios.map((scenario) => ({
      id: scenario.id,
      file: scenario.file,
      name: scenario.name,
      line: scenario.line,
      capability: scenario.capability,
    })),
    ...(selection.impact ? { changed: impactJson(selection.impact) } : {}),
    ...(selection.covering ? { covering: coveringJson(selection.covering) } : {}),
    ...(selection.shard ? { shard: selection.shard } : {}),
    ...(selection.notes?.length ? { notes: selection.notes } : {}),
  };
}
