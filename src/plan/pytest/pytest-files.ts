/**
 * Where pytest tests live: a test file's pytest root (the nearest folder
 * upward holding `pytest.ini`, `pyproject.toml`, `tox.ini`, `setup.cfg` or
 * `conftest.py`; the repository root if none), and the test files under a
 * folder by pytest's default names (`test_*.py`, `*_test.py`).
 */
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { walk } from '../read-catalog.ts';

const ROOT_MARKERS = ['pytest.ini', 'pyproject.toml', 'tox.ini', 'setup.cfg', 'conftest.py'];
const SKIPPED_FOLDERS = new Set(['__pycache__', 'node_modules', 'site-packages', 'venv', 'env']);
const TEST_FILE = /^(test_.*|.*_test)\.py$/;

/** Repo-relative pytest root of `file` ('' for the repository root), cached per folder. */
export function createRootFinder(root: string): (file: string) => string {
  const cache = new Map<string, string>();
  const find = (dir: string): string => {
    const known = cache.get(dir);
    if (known !== undefined) return known;
    const found = ROOT_MARKERS.some((marker) => existsSync(join(root, dir, marker))) || dir === '' ? dir : find(parentOf(dir));
    cache.set(dir, found);
    return found;
  };
  return (file) => find(parentOf(file));
}

function parentOf(path: string): string {
  const dir = posix.dirname(path);
  return dir === '.' || dir === '/' ? '' : dir;
}

/** Test files under repo-relative `dir`, sorted; hidden folders, caches and virtualenvs skipped. */
export function findPytestFiles(root: string, dir: string): string[] {
  return walk(
    root,
    dir,
    (name) => TEST_FILE.test(name),
    (path) => !SKIPPED_FOLDERS.has(posix.basename(path)),
  );
}
