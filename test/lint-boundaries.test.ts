/**
 * The layer rule (scripts/layers.js, used by eslint.config.js) fires: each
 * fixture in test/fixtures/lint/ (`.ts.txt`, so the compiler leaves it alone) is linted as if it sat where its first line
 * says, and must get exactly the boundary errors its comment names.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { boundaryConfigs } from '../scripts/layers.js';

const ROOT = join(import.meta.dirname, '..');
const FIXTURES = join(import.meta.dirname, 'fixtures', 'lint');

/** Where the fixture pretends to be, and the lines the rule must flag. */
const EXPECTED: Readonly<Record<string, readonly number[]>> = {
  'plan-imports-runner.ts.txt': [4],
  'stack-imports-reference.ts.txt': [3, 4],
  'reference-imports-src.ts.txt': [3],
  'scenario-imports-scenario.ts.txt': [4, 5],
  'report-imports-below.ts.txt': [],
};

// Only the boundary blocks, without type information: the fixtures belong to no tsconfig project.
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...boundaryConfigs()],
});

async function flaggedLines(fixture: string): Promise<{ lines: number[]; messages: string[] }> {
  const code = readFileSync(join(FIXTURES, fixture), 'utf8');
  const as = /^\/\/ lint as: (\S+)/.exec(code)?.[1];
  assert.ok(as, `${fixture} names the path it is linted as on its first line`);
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, as) });
  const messages = result?.messages ?? [];
  assert.deepEqual(
    messages.filter((message) => message.ruleId !== 'no-restricted-imports'),
    [],
    'nothing but the boundary rule speaks',
  );
  return { lines: messages.map((message) => message.line), messages: messages.map((message) => message.message) };
}

describe('the layer boundary rule', () => {
  it('has a fixture for every expectation and an expectation for every fixture', () => {
    assert.deepEqual(readdirSync(FIXTURES).sort(), Object.keys(EXPECTED).sort());
  });

  for (const [fixture, lines] of Object.entries(EXPECTED)) {
    it(`${fixture}: ${lines.length === 0 ? 'nothing flagged' : `flags line ${lines.join(' and ')}`}`, async () => {
      const found = await flaggedLines(fixture);
      assert.deepEqual(found.lines, lines, found.messages.join('\n'));
      for (const message of found.messages) assert.match(message, /CONTRIBUTING\.md|black box|system under test/);
    });
  }

  it('is part of the real configuration', async () => {
    const real = new ESLint({ cwd: ROOT });
    const config = (await real.calculateConfigForFile(join(ROOT, 'src', 'plan', 'select.ts'))) as {
      rules: Record<string, unknown>;
    };
    assert.match(JSON.stringify(config.rules['no-restricted-imports']), /\*\*\/runner\/\*\*/);
  });
});
