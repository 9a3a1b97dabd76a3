import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExpectations } from './expectations.ts';

test('YAML and JSON baselines read to entries with their lines', () => {
  const yaml = parseExpectations('# known failures\nAUTH-001:\n  expect: fail\n  reason: no OIDC yet\ntests/a.py::test_b:\n  expect: skip\n  reason: hangs\n', 'base.yaml');
  assert.deepEqual(yaml.issues, []);
  assert.deepEqual(yaml.entries.map((entry) => [entry.id, entry.kind, entry.expect, entry.line]), [['AUTH-001', 'capability', 'fail', 2], ['tests/a.py::test_b', 'test', 'skip', 5]]);
  const json = parseExpectations('{\n  "AUTH-001": { "expect": "fail", "reason": "r" }\n}\n', 'base.json');
  assert.deepEqual(json.entries.map((entry) => [entry.id, entry.line]), [['AUTH-001', 2]]);
});

test('malformed entries are EXPECTATION_FORMAT at their line; duplicate keys a PARSE_ERROR', () => {
  const set = parseExpectations('nonsense:\n  expect: fail\n  reason: r\nAUTH-001: just a string\nAUTH-002:\n  expect: fail\n  reason: r\n  extra: 1\n', 'b.yaml');
  assert.deepEqual(set.issues.map((item) => [item.code, item.line]), [['EXPECTATION_FORMAT', 1], ['EXPECTATION_FORMAT', 4], ['EXPECTATION_FORMAT', 5]]);
  assert.equal(parseExpectations('A-001:\n  expect: fail\n  reason: r\nA-001:\n  expect: fail\n  reason: r\n', 'b.yaml').issues[0]?.code, 'PARSE_ERROR');
});
