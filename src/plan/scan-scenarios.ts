/**
 * Reads scenario names and capability ids straight from a module's text:
 * `defineScenario('AUTH-001', 'name', …)` with literal strings. Fast, and
 * free of side effects; a module it cannot read fully is marked
 * inconclusive and gets imported instead.
 */
import type { ScenarioRef } from './types.ts';

const LITERAL = String.raw`(?:'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|\x60((?:[^\x60\\$]|\\.)*)\x60)`;
const CALL = new RegExp(String.raw`\bdefineScenario\s*\(\s*${LITERAL}\s*,\s*${LITERAL}`, 'g');
const ANY_CALL = /\bdefineScenario\s*\(/g;

export interface ScannedModule {
  readonly file: string;
  readonly scenarios: readonly ScenarioRef[];
  /** False when some `defineScenario(` call has non-literal arguments. */
  readonly conclusive: boolean;
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

export function scanScenarioModule(file: string, text: string): ScannedModule {
  const scenarios: ScenarioRef[] = [];
  const lineStarts = [0];
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) lineStarts.push(index + 1);
  const lineAt = (offset: number): number => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
  for (const match of text.matchAll(CALL)) {
    const capability = unescape(match[1] ?? match[2] ?? match[3] ?? '');
    const name = unescape(match[4] ?? match[5] ?? match[6] ?? '');
    const nameOffset = (match.index ?? 0) + match[0].length - name.length - 1;
    scenarios.push({ file, name, capability, line: lineAt(nameOffset) });
  }
  const calls = [...text.matchAll(ANY_CALL)].length;
  return { file, scenarios, conclusive: calls === scenarios.length };
}
