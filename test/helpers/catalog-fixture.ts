/**
 * Small capability catalogs written to disk for the e2e tests. They live
 * under test/.tmp (inside the package) so their scenario modules can
 * `import { defineScenario } from 'santokit-it'`.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TMP = join(PACKAGE_ROOT, 'test/.tmp');

export type Tree = Record<string, string>;

export interface CapabilityFields {
  readonly id: string;
  readonly domain: string;
  readonly title?: string;
  readonly status?: string;
  readonly depends?: readonly string[];
  readonly specRefs?: readonly string[];
  readonly testRefs?: readonly string[];
  readonly codeRefs?: readonly string[];
}

const SECTIONS = `## Intent

Why it exists.

## Execution Semantics

What happens.

## Observable Outcome

What one sees.

## Usage

\`stk something\`

## Acceptance Criteria

- [ ] It answers 200.

## Failure Modes

- Bad input: 400 BAD_REQUEST.
`;

function yamlList(items: readonly string[] | undefined): string {
  if (!items || items.length === 0) return ' []';
  return `\n${items.map((item) => `  - ${item}`).join('\n')}`;
}

export function capability(fields: CapabilityFields, body = SECTIONS): string {
  return [
    '---',
    `id: ${fields.id}`,
    `domain: ${fields.domain}`,
    `title: ${fields.title ?? `Title of ${fields.id}`}`,
    `status: ${fields.status ?? 'implemented'}`,
    `depends:${yamlList(fields.depends)}`,
    `spec_refs:${yamlList(fields.specRefs)}`,
    `test_refs:${yamlList(fields.testRefs)}`,
    `code_refs:${yamlList(fields.codeRefs)}`,
    '---',
    `# ${fields.id} — ${fields.title ?? 'title'}`,
    '',
    body,
  ].join('\n');
}

export function scenarioModule(scenarios: readonly { capability: string; name: string; body?: string }[]): string {
  return [
    "import { defineScenario } from 'santokit-it';",
    '',
    ...scenarios.map(
      (scenario, index) =>
        `export const s${index} = defineScenario('${scenario.capability}', '${scenario.name}', async (context) => {\n  ${scenario.body ?? 'void context;'}\n});`,
    ),
    '',
  ].join('\n');
}

export const AUTH_FILE = 'plan/capabilities/auth/AUTH-001-login.md';
export const AUTH_SCENARIOS = 'src/scenarios/auth/auth-001-login.ts';

/** A valid catalog: two implemented capabilities with scenarios, one planned. */
export function validTree(): Tree {
  return {
    'plan/spec/errors.md': '# Errors\n',
    'code/hub.ts': 'export {};\n',
    [AUTH_FILE]: capability({
      id: 'AUTH-001',
      domain: 'auth',
      specRefs: ['plan/spec/errors.md'],
      testRefs: [`${AUTH_SCENARIOS}::login returns a token`, `${AUTH_SCENARIOS}::login refuses a bad password`],
      codeRefs: ['code/hub.ts'],
      depends: ['OPERATOR-001'],
    }),
    'plan/capabilities/auth/AUTH-002-oidc.md': capability({
      id: 'AUTH-002',
      domain: 'auth',
      status: 'planned',
      depends: ['AUTH-001'],
    }),
    'plan/capabilities/auth/README.md': '# Auth domain guide (not a capability)\n',
    'plan/capabilities/operator/OPERATOR-001-bootstrap.md': capability({
      id: 'OPERATOR-001',
      domain: 'operator',
      testRefs: ['src/scenarios/operator/operator-001-bootstrap.ts::bootstrap creates a release'],
      codeRefs: ['code/hub.ts'],
    }),
    [AUTH_SCENARIOS]: scenarioModule([
      { capability: 'AUTH-001', name: 'login returns a token' },
      { capability: 'AUTH-001', name: 'login refuses a bad password' },
    ]),
    'src/scenarios/operator/operator-001-bootstrap.ts': scenarioModule([
      { capability: 'OPERATOR-001', name: 'bootstrap creates a release' },
    ]),
  };
}

export async function writeTree(tree: Tree): Promise<{ root: string; remove: () => Promise<void> }> {
  await mkdir(TMP, { recursive: true });
  const root = await mkdtemp(join(TMP, 'catalog-'));
  for (const [file, text] of Object.entries(tree)) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), text);
  }
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}
