import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCapability } from './parse-capability.ts';

const DOC = `---
id: AUTH-001
domain: auth
title: Login
status: implemented
depends: [OPERATOR-001, OPERATOR-002]
spec_refs:
  - plan/spec/errors.md
  - plan/spec/auth.md
test_refs: []
code_refs:
  - reference/hub/app.ts
owner: me
---
# AUTH-001

## Intent
text
\`\`\`md
## Not a section
\`\`\`
## Acceptance Criteria
- [ ] one
- [x] two
- not an item
## Failure Modes
- [ ] not counted here
`;

test('parses fields with their lines, inline and block lists alike', () => {
  const parsed = parseCapability('plan/capabilities/auth/AUTH-001-login.md', DOC);
  assert.equal(parsed.status, 'ok');
  if (parsed.status !== 'ok') return;
  const { document } = parsed;
  assert.deepEqual(document.id, { value: 'AUTH-001', line: 2 });
  assert.deepEqual(document.status, { value: 'implemented', line: 5 });
  assert.deepEqual(document.depends, [
    { value: 'OPERATOR-001', line: 6 },
    { value: 'OPERATOR-002', line: 6 },
  ]);
  assert.deepEqual(document.specRefs, [
    { value: 'plan/spec/errors.md', line: 8 },
    { value: 'plan/spec/auth.md', line: 9 },
  ]);
  assert.deepEqual(document.testRefs, []);
  assert.deepEqual(document.codeRefs, [{ value: 'reference/hub/app.ts', line: 12 }]);
  assert.deepEqual(document.unknownFields, [{ value: 'owner', line: 13 }]);
});

test('finds sections outside code fences and counts acceptance items of that section only', () => {
  const parsed = parseCapability('f.md', DOC);
  assert.equal(parsed.status, 'ok');
  if (parsed.status !== 'ok') return;
  assert.deepEqual(parsed.document.sections, [
    { title: 'Intent', line: 17 },
    { title: 'Acceptance Criteria', line: 22 },
    { title: 'Failure Modes', line: 26 },
  ]);
  assert.equal(parsed.document.acceptanceItems, 2);
});

test('YAML errors are PARSE_ERROR at the offending line, never thrown', () => {
  const parsed = parseCapability('f.md', '---\nid: AUTH-001\ntitle: a: b\n---\n');
  assert.equal(parsed.status, 'error');
  if (parsed.status !== 'error') return;
  assert.equal(parsed.issue.code, 'PARSE_ERROR');
  assert.equal(parsed.issue.line, 3);
  assert.match(parsed.issue.hint, /YAML/);
});

test('a file without front-matter is a PARSE_ERROR at line 1', () => {
  const parsed = parseCapability('f.md', '# just markdown\n');
  assert.equal(parsed.status, 'error');
  if (parsed.status === 'error') assert.deepEqual([parsed.issue.code, parsed.issue.line], ['PARSE_ERROR', 1]);
});

test('a list field given as a scalar becomes a field issue with the field code', () => {
  const parsed = parseCapability('f.md', '---\nid: A-001\ndepends: OPERATOR-001\ntest_refs: 7\n---\n');
  assert.equal(parsed.status, 'ok');
  if (parsed.status !== 'ok') return;
  assert.deepEqual(
    parsed.document.fieldIssues.map((item) => [item.code, item.line]),
    [
      ['DEPENDS_FORMAT', 3],
      ['TEST_NODEID_INVALID', 4],
    ],
  );
});
