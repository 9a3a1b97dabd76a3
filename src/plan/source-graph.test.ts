import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePythonImports, parseScriptImports } from './source-graph.ts';

test('script imports: static, multi-line, type-only, re-exports, side effects and dynamic; packages are not files', () => {
  const text = [
    "import assert from 'node:assert/strict';",
    'import {',
    '  bootstrapProject,',
    "} from '../kit/index.ts';",
    "import type { ScenarioContext } from '../kit/context.ts';",
    "export { expectRows } from './assertions.js';",
    "import './side-effect.ts';",
    "const late = await import('./late.ts');",
    "const name = 'from ./not-an-import.ts';",
  ].join('\n');
  assert.deepEqual(parseScriptImports(text), ['../kit/index.ts', '../kit/context.ts', './assertions.js', './side-effect.ts', './late.ts']);
});

test('python imports: modules, packages, submodules named in from-imports, relative levels', () => {
  const text = ['import os, json as j', 'from dsl import api_key_headers, bootstrap_project', 'from tests.helpers import assertions', 'from . import shared', 'from ..util import (', '    helper,', ')'].join('\n');
  assert.deepEqual(parsePythonImports(text), [
    'dsl',
    'dsl.api_key_headers',
    'dsl.bootstrap_project',
    'tests.helpers',
    'tests.helpers.assertions',
    '.',
    '.shared',
    '..util',
    '..util.helper',
    'os',
    'json',
  ]);
});
