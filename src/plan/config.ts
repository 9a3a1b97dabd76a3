/**
 * `santokit-it.config.json` at the repository root: optional. It sets where
 * scenario modules and pytest tests live, how pytest runs, and a default
 * expectations file. A missing file means the defaults; a broken one is a
 * list of CONFIG_INVALID issues (the defaults stand in for what is broken).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidationIssue } from './types.ts';
import { issue } from './parse-capability.ts';
import { readJsonObject, type JsonProblem } from './json-fields.ts';

export const CONFIG_FILE = 'santokit-it.config.json';

export interface PytestSettings {
  /** Repo-relative folders whose `test_*.py` files join the catalog; undefined: the pytest root of every referenced file. */
  readonly roots?: readonly string[];
  /** argv that starts pytest; the plugin, options and node id are appended. */
  readonly command: readonly string[];
  /** Repo-relative working directory; undefined: each test's pytest root. */
  readonly cwd?: string;
  readonly args: readonly string[];
  /** The harness's session fixture the plugin answers. */
  readonly fixture: string;
  /** Harness path prefix → repo-relative folder, e.g. `/workspace` → `.`. */
  readonly mounts: Readonly<Record<string, string>>;
}

export interface ProjectConfig {
  /** Repo-relative, when the file exists. */
  readonly file?: string;
  readonly scenarioRoots: readonly string[];
  readonly pytest: PytestSettings;
  /** Repo-relative path of the default `--expectations` file. */
  readonly expectations?: string;
}

export const DEFAULT_PYTEST: PytestSettings = {
  command: ['python3', '-m', 'pytest'],
  args: [],
  fixture: 'compose_env',
  mounts: { '/workspace': '.' },
};

export const DEFAULT_CONFIG: ProjectConfig = { scenarioRoots: ['src/scenarios'], pytest: DEFAULT_PYTEST };

export interface LoadedConfig {
  readonly config: ProjectConfig;
  readonly issues: readonly ValidationIssue[];
}

export function readConfig(root: string): LoadedConfig {
  const path = join(root, CONFIG_FILE);
  if (!existsSync(path)) return { config: DEFAULT_CONFIG, issues: [] };
  const problems: JsonProblem[] = [];
  const text = readFileSync(path, 'utf8');
  const top = readJsonObject(text, problems, ['scenarioRoots', 'pytest', 'expectations']);
  const pytest = top?.object('pytest', ['roots', 'command', 'cwd', 'args', 'fixture', 'mounts']);
  const command = pytest?.stringOrList('command');
  const roots = pytest?.paths('roots');
  const cwd = pytest?.path('cwd');
  const expectations = top?.path('expectations');
  const config: ProjectConfig = {
    file: CONFIG_FILE,
    scenarioRoots: top?.paths('scenarioRoots') ?? DEFAULT_CONFIG.scenarioRoots,
    pytest: {
      ...(roots ? { roots } : {}),
      command: command && command.length > 0 ? command : DEFAULT_PYTEST.command,
      ...(cwd ? { cwd } : {}),
      args: pytest?.strings('args') ?? DEFAULT_PYTEST.args,
      fixture: pytest?.string('fixture') ?? DEFAULT_PYTEST.fixture,
      mounts: pytest?.stringMap('mounts') ?? DEFAULT_PYTEST.mounts,
    },
    ...(expectations ? { expectations } : {}),
  };
  const issues = problems.map((problem) => issue('CONFIG_INVALID', CONFIG_FILE, problem.line, problem.message, problem.hint));
  return { config, issues };
}
