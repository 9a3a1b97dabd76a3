/**
 * Routes that exist only in the Hub's test mode (`STK_HUB_TEST_MODE=1`), for
 * states scenarios need and the product cannot reach by itself. Without test
 * mode they are not registered: 404 like any unknown route.
 */
import type { HubApp, HubDeps } from '../deps.ts';
import { badRequest, notFound } from '../../shared/http-error.ts';
import { str } from '../http.ts';
import { createOrReuseRelease, currentRelease, movePointer, type ReleaseBody } from '../releases.ts';
import { scopedBody } from './scope.ts';
import { isRecord, registerTestTokenControls } from './test-token-controls.ts';

/** The body with `tables[table].columns[column]` set to `definition`, everything else shared. */
function withColumn(
  body: ReleaseBody,
  table: string,
  column: string,
  definition: Record<string, unknown>,
): ReleaseBody {
  const tables = body.schema.tables;
  const target = tables[table];
  if (!isRecord(target) || !Object.hasOwn(tables, table)) throw notFound(`table not found: ${table.slice(0, 64)}`);
  const columns = isRecord(target.columns) ? target.columns : {};
  return {
    ...body,
    schema: {
      ...body.schema,
      tables: { ...tables, [table]: { ...target, columns: { ...columns, [column]: definition } } },
    },
  };
}

export function registerTestControls(app: HubApp, deps: HubDeps): void {
  if (!deps.config.testMode) return;

  registerTestTokenControls(app, deps);

  /**
   * A release as a Hub knowing more column types would write it (SDK-002: a
   * client generator meeting a type it does not know): a copy of the current
   * release with one column definition stored as given, without validation
   * and without DDL, made current. Project admin.
   */
  app.post('/api/test/releases/column', async (c) => {
    const { body, operator, project, env } = await scopedBody(c, deps, 'admin');
    const table = str(body, 'table');
    const column = str(body, 'column');
    if (!isRecord(body.definition)) throw badRequest("field 'definition' must be an object");
    const current = await currentRelease(deps.store, project, env);
    if (!current) throw notFound('no current release');
    const next = withColumn(current.body, table, column, body.definition);
    const release = await createOrReuseRelease(deps.store, project, env, `${current.ref}+test`, next);
    await movePointer(deps.store, project, env, release.id, 'test', operator);
    return c.json({ ok: true, project, env, release_id: release.id });
  });
}
