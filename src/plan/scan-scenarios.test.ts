import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanScenarioModule } from './scan-scenarios.ts';

test('reads literal capability ids and names with the line of the name', () => {
  const text = [
    "import { defineScenario } from 'santokit-it';",
    "export const a = defineScenario('AUTH-001', 'login returns a token', async () => {});",
    'export const b = defineScenario(',
    '  "AUTH-001",',
    "  `it's quoted \\` oddly`,",
    '  async () => {},',
    ');',
  ].join('\n');
  const scanned = scanScenarioModule('f.ts', text);
  assert.equal(scanned.conclusive, true);
  assert.deepEqual(scanned.scenarios, [
    { file: 'f.ts', capability: 'AUTH-001', name: 'login returns a token', line: 2 },
    { file: 'f.ts', capability: 'AUTH-001', name: "it's quoted ` oddly", line: 5 },
  ]);
});

test('a non-literal argument makes the scan inconclusive', () => {
  const scanned = scanScenarioModule('f.ts', "const n = 'x';\ndefineScenario('AUTH-001', n, run);\ndefineScenario('AUTH-001', 'y', run);");
  assert.equal(scanned.conclusive, false);
  assert.equal(scanned.scenarios.length, 1);
});

test('a template literal with interpolation is not a literal', () => {
  assert.equal(scanScenarioModule('f.ts', 'defineScenario(`A-${1}`, `n`, run)').conclusive, false);
});
