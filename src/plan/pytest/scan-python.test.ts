import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePytestName, testKindOf } from './node-id.ts';
import { scanPythonModule } from './scan-python.ts';

const source = [
  'import pytest',
  "'''a docstring: def test_not_real(): pass'''",
  'pytestmark = [pytest.mark.domain("crud"),',
  '              pytest.mark.capability("CRUD-001")]',
  '',
  '@pytest.mark.parametrize(',
  '    "value", [1, 2],',
  ')',
  'def test_values(value):  # def test_in_a_comment(): pass',
  '    def test_inner():',
  '        pass',
  '',
  '@pytest.mark.capability("CRUD-002")',
  'class TestGroup:',
  '    def helper(self):',
  '        pass',
  '',
  '    async def test_method(self):',
  '        pass',
  '',
  '    class TestNested:',
  '        pytestmark = pytest.mark.capability("CRUD-003")',
  '        def test_deep(self):',
  '            pass',
  '',
  'class TestWithInit:',
  '    def __init__(self):',
  '        pass',
  '    def test_never_collected(self):',
  '        pass',
  '',
  'class Helpers:',
  '    def test_not_in_a_test_class(self):',
  '        pass',
  '',
  'def _private():',
  '    pass',
].join('\n');

test('tests, their lines and capability markers, nearest first; helpers are definitions only', () => {
  const scan = scanPythonModule('tests/test_x.py', source);
  assert.deepEqual(
    scan.tests.map((item) => [item.qualified, item.line, item.capabilities, item.parametrized]),
    [
      ['test_values', 9, ['CRUD-001'], true],
      ['TestGroup::test_method', 18, ['CRUD-002', 'CRUD-001'], false],
      ['TestGroup::TestNested::test_deep', 23, ['CRUD-003', 'CRUD-002', 'CRUD-001'], false],
    ],
  );
  assert.deepEqual([...scan.definitions.keys()], [
    'test_values',
    'TestGroup::helper',
    'TestGroup::test_method',
    'TestGroup::TestNested::test_deep',
    'TestWithInit::__init__',
    'TestWithInit::test_never_collected',
    'Helpers::test_not_in_a_test_class',
    '_private',
  ]);
});

test('a module pytestmark after the tests still applies', () => {
  const scan = scanPythonModule('t.py', 'def test_a():\n    pass\n\npytestmark = pytest.mark.capability("AUTH-001")\n');
  assert.deepEqual(scan.tests[0]?.capabilities, ['AUTH-001']);
});

test('node ids: functions, classes, parameter ids; the file decides the kind', () => {
  assert.deepEqual(parsePytestName('test_fn'), { qualified: 'test_fn', function: 'test_fn', classes: [] });
  assert.deepEqual(parsePytestName('TestA::test_m[case-1]'), { qualified: 'TestA::test_m', function: 'test_m', classes: ['TestA'], param: 'case-1' });
  for (const bad of ['test fn', 'test_fn[', 'TestA::', '::test_fn', 'test_fn[]']) assert.equal(parsePytestName(bad), undefined, bad);
  assert.equal(testKindOf('tests/test_x.py'), 'pytest');
  assert.equal(testKindOf('src/scenarios/a.ts'), 'scenario');
  assert.equal(testKindOf('notes.md'), undefined);
});
