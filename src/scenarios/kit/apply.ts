/**
 * `POST /api/apply` from a project folder, in the Hub's wire format
 * (`schema` as file texts, `permissions`/`storage` texts, `logics` by name):
 * what `stk apply` sends, without starting a process per scenario.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectStatus } from './assertions.ts';
import type { ScenarioContext } from './context.ts';

export interface ApplyBody {
  readonly schema: string[];
  readonly permissions: string | null;
  readonly storage: string | null;
  readonly logics: Record<string, string> | null;
}

function optional(path: string): string | null {
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

/** `logics/**\/*.sql` by name relative to `logics/`, without the extension. */
function logicFiles(dir: string, prefix = ''): [string, string][] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry): [string, string][] => {
      if (entry.isDirectory()) return logicFiles(join(dir, entry.name), `${prefix}${entry.name}/`);
      return entry.name.endsWith('.sql')
        ? [[`${prefix}${entry.name.slice(0, -4)}`, readFileSync(join(dir, entry.name), 'utf8')]]
        : [];
    });
}

export function readProjectFolder(dir: string): ApplyBody {
  const schemaDir = join(dir, 'schema');
  const schema = existsSync(schemaDir)
    ? readdirSync(schemaDir)
        .filter((name) => /\.ya?ml$/.test(name))
        .sort()
        .map((name) => readFileSync(join(schemaDir, name), 'utf8'))
    : [];
  const logics = logicFiles(join(dir, 'logics'));
  return {
    schema,
    permissions: optional(join(dir, 'config', 'permissions.yaml')),
    storage: optional(join(dir, 'config', 'storage.yaml')),
    logics: logics.length === 0 ? null : Object.fromEntries(logics),
  };
}

/**
 * Applies the folder to project/env as the stack operator; the answer must be
 * 200. `replace` stands in for parts of the folder (a permissions text, the
 * logics) when a scenario needs a variant of a fixture.
 */
export async function applyFolder(
  context: ScenarioContext,
  target: { project: string; env: string; ref: string; dir: string },
  replace: Partial<ApplyBody> = {},
): Promise<Record<string, unknown>> {
  const body = {
    project: target.project,
    env: target.env,
    ref: target.ref,
    ...readProjectFolder(target.dir),
    ...replace,
  };
  const response = await context.hub.post('/api/apply', body, { token: await context.operatorToken() });
  expectStatus(response, 200, `apply ${target.dir}`);
  return response.json as Record<string, unknown>;
}
