import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_CONFIG, readConfig } from './config.ts';

function withConfig(text: string | undefined, check: (root: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), 'stk-it-config-'));
  try {
    if (text !== undefined) writeFileSync(join(root, 'santokit-it.config.json'), text);
    check(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test('no file: the defaults', () => {
  withConfig(undefined, (root) => assert.deepEqual(readConfig(root), { config: DEFAULT_CONFIG, issues: [] }));
});

test('a command as a string or a list, roots, cwd, fixture, mounts, expectations', () => {
  const text = JSON.stringify({ scenarioRoots: ['it/scenarios'], pytest: { command: 'uv run pytest', roots: ['tests/py/'], cwd: 'tests/py', fixture: 'env', mounts: { '/repo': '.' } }, expectations: 'baseline.yaml' });
  withConfig(text, (root) => {
    const { config, issues } = readConfig(root);
    assert.deepEqual(issues, []);
    assert.deepEqual(config.scenarioRoots, ['it/scenarios']);
    assert.deepEqual(config.pytest, { roots: ['tests/py'], command: ['uv', 'run', 'pytest'], cwd: 'tests/py', args: [], fixture: 'env', mounts: { '/repo': '.' } });
    assert.equal(config.expectations, 'baseline.yaml');
  });
});

test('problems are CONFIG_INVALID at the line of their key; the defaults stand in', () => {
  withConfig('{\n  "scenarioRoots": "src",\n  "pytest": {\n    "cwd": "../elsewhere"\n  },\n  "extra": 1\n}\n', (root) => {
    const { config, issues } = readConfig(root);
    assert.deepEqual(issues.map((item) => item.line).sort(), [2, 4, 6]);
    assert.ok(issues.every((item) => item.code === 'CONFIG_INVALID'));
    assert.deepEqual(config.scenarioRoots, DEFAULT_CONFIG.scenarioRoots);
    assert.equal(config.pytest.cwd, undefined);
  });
  withConfig('{\n  "pytest": {,\n}\n', (root) => assert.deepEqual(readConfig(root).issues.map((item) => [item.code, item.line]), [['CONFIG_INVALID', 2]]));
});
