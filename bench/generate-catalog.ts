/**
 * Generates a synthetic capability catalog of N documents, spread over the
 * eight domains, every one implemented with a scenario, a spec ref and a
 * dependency on its predecessor — so every rule has work to do.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DOMAINS } from '../src/plan/types.ts';

const PER_MODULE = 10;

export interface GeneratedCatalog {
  readonly root: string;
  remove(): Promise<void>;
}

function documentText(domain: string, id: string, index: number, module: string, previous: string | undefined): string {
  return `---
id: ${id}
domain: ${domain}
title: Generated capability ${index}
status: implemented
depends: [${previous ?? ''}]
spec_refs:
  - plan/spec/errors.md
test_refs:
  - ${module}::scenario ${index}
code_refs:
  - code/impl.ts
---
# ${id} — Generated capability ${index}

## Intent
Exists to be validated.

## Execution Semantics
Nothing happens.

## Observable Outcome
Nothing is seen.

## Usage
\`stk nothing\`

## Acceptance Criteria
- [ ] It is valid.
- [ ] It stays valid.

## Failure Modes
- None.
`;
}

/** Scenario modules are plain JS here: the bench measures the validator, not the TypeScript loader. */
function moduleText(scenarios: readonly { id: string; index: number }[]): string {
  const lines = scenarios.map(
    ({ id, index }) => `export const s${index} = defineScenario('${id}', 'scenario ${index}', async () => {});`,
  );
  return [`import { defineScenario } from 'santokit-it';`, ...lines, ''].join('\n');
}

export async function generateCatalog(parent: string, size: number): Promise<GeneratedCatalog> {
  const root = join(parent, `catalog-${size}`);
  await rm(root, { recursive: true, force: true });
  await mkdir(join(root, 'plan/spec'), { recursive: true });
  await mkdir(join(root, 'code'), { recursive: true });
  await writeFile(join(root, 'plan/spec/errors.md'), '# Errors\n');
  await writeFile(join(root, 'code/impl.ts'), 'export {};\n');
  const modules = new Map<string, { id: string; index: number }[]>();
  const previousByDomain = new Map<string, string>();
  const writes: Promise<void>[] = [];
  for (let index = 0; index < size; index += 1) {
    const domain = DOMAINS[index % DOMAINS.length] ?? 'auth';
    const number = Math.floor(index / DOMAINS.length) + 1;
    const id = `${domain.toUpperCase()}-${String(number).padStart(3, '0')}`.replace(
      /-(\d{4,})$/,
      (_, digits: string) => `-${digits}`,
    );
    const module = `src/scenarios/${domain}/generated-${Math.floor(number / PER_MODULE)}.js`;
    modules.set(module, [...(modules.get(module) ?? []), { id, index }]);
    const dir = join(root, 'plan/capabilities', domain);
    const text = documentText(domain, id, index, module, previousByDomain.get(domain));
    writes.push(mkdir(dir, { recursive: true }).then(() => writeFile(join(dir, `${id}-generated-${index}.md`), text)));
    previousByDomain.set(domain, id);
  }
  for (const [module, scenarios] of modules) {
    writes.push(
      mkdir(join(root, module, '..'), { recursive: true }).then(() =>
        writeFile(join(root, module), moduleText(scenarios)),
      ),
    );
  }
  await Promise.all(writes);
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}
