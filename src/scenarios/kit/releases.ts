/** Release checks: through `stk`, as an operator sees them, or straight from the Hub where the CLI is not what is checked. */
import assert from 'node:assert/strict';
import { expectExit } from './assertions.ts';
import type { ScenarioContext } from './context.ts';

/** The id `stk release current` prints for project/env. */
export async function currentRelease(context: ScenarioContext, project: string, env: string): Promise<string> {
  const current = await context.stk(['release', 'current', '--project', project, '--env', env]);
  expectExit(current, 0);
  const id = /^Current release: (\S+)$/m.exec(current.stdout)?.[1];
  assert.ok(id, `release current prints the id: ${current.stdout}`);
  return id;
}

/** The id a successful `stk apply` prints on its `releaseId:` line. */
export function appliedReleaseId(stdout: string): string {
  const id = /^releaseId: (\S+)$/m.exec(stdout)?.[1];
  assert.ok(id, `stk apply prints the release id: ${stdout}`);
  return id;
}

/**
 * The current release id of project/env from the Hub's own route (the one
 * `stk release current` reads), for scenarios that check a release rather
 * than the CLI: no `stk` process to start.
 */
export async function hubCurrentRelease(context: ScenarioContext, project: string, env: string): Promise<string> {
  const response = await context.hub.get('/api/releases/current', {
    query: { project, env },
    token: await context.operatorToken(),
  });
  const id = (response.json as { release_id?: unknown } | undefined)?.release_id;
  assert.equal(
    typeof id,
    'string',
    `current release of ${project}/${env}: ${response.status} ${response.text.slice(0, 200)}`,
  );
  return id as string;
}

export interface RefusedApply {
  readonly code: string;
  readonly message: string;
  readonly details?: { readonly file?: string };
}

/**
 * `stk apply --json` of a fixture must exit 1 with a 400
 * SCHEMA_VALIDATION_FAILED naming `file`, and leave the current release as it
 * was (asked of the Hub before and after).
 */
export async function expectApplyRefused(
  context: ScenarioContext,
  target: { project: string; env: string; fixture: string; file: string },
): Promise<RefusedApply> {
  const before = await hubCurrentRelease(context, target.project, target.env);
  const applied = await context.stk(
    ['apply', '--project', target.project, '--env', target.env, '--ref', target.fixture, '--json'],
    { cwd: context.fixture(target.fixture) },
  );
  assert.equal(applied.exitCode, 1, `${target.fixture}: stk apply exits 1\n${applied.stdout}\n${applied.stderr}`);
  assert.match(applied.stderr, /^Error: request failed: 400 Bad Request /m, `${target.fixture}: a 400 on stderr`);
  const error = (JSON.parse(applied.stdout) as { error: RefusedApply }).error;
  assert.equal(error.code, 'SCHEMA_VALIDATION_FAILED', `${target.fixture}: ${applied.stdout}`);
  assert.ok(
    error.details?.file === target.file || error.message.includes(target.file),
    `${target.fixture}: the error names ${target.file}: ${applied.stdout}`,
  );
  assert.equal(
    await hubCurrentRelease(context, target.project, target.env),
    before,
    `${target.fixture}: the current release is unchanged`,
  );
  return error;
}
