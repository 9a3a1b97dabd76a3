/**
 * STORAGE-005: a `db/<table>/delete` of rows whose `type: file` columns say
 * `onDelete: cascade` also deletes the objects those columns name — after the
 * rows are gone, in the background, best effort. Each object is deleted only
 * when the storage policy's `delete` rule allows it for the same caller; a
 * refusal or a store failure is logged with the request id and changes
 * nothing in the `/call` answer. `preserve` (the default) keeps the object.
 */
import type { ReleasePayload } from '../shared/contract.ts';
import type { Caller } from './credentials.ts';
import { HttpError } from './errors.ts';
import { quote, type Table } from './model.ts';
import { authorize, objectRef } from './storage.ts';
import type { StorageBackend } from './storage-s3.ts';

/** What a CRUD call needs to cascade: the store (if any), and where to log. */
export interface CascadeDeps {
  readonly backend: StorageBackend | undefined;
  readonly requestId: string;
  readonly log: (line: string) => void;
}

interface FileColumn {
  readonly name: string;
  readonly bucket: string;
}

export interface Cascade {
  /** `RETURNING` list of the cascading columns. */
  readonly returning: string;
  /** Starts the deletions for the deleted rows; never waits, never throws. */
  start(rows: readonly Record<string, unknown>[]): void;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** `type: file` + `onDelete: cascade` columns of the table, as the release declares them. */
function cascadingColumns(release: ReleasePayload, table: Table): FileColumn[] {
  const columns = record(record(record(release.schema.tables)[table.name]).columns);
  return Object.entries(columns)
    .map(([name, raw]) => [name, record(raw)] as const)
    .filter(([name, column]) => table.columns.has(name) && column.type === 'file' && column.onDelete === 'cascade')
    .map(([name, column]) => ({ name, bucket: typeof column.bucket === 'string' ? column.bucket : 'main' }));
}

async function deleteOne(
  deps: CascadeDeps,
  release: ReleasePayload,
  caller: Caller,
  column: FileColumn,
  value: string,
): Promise<string> {
  let key: string;
  try {
    ({ key } = authorize(release, caller, 'delete', { key: value }));
  } catch (error) {
    return `skipped (${error instanceof HttpError ? `${error.status} ${error.message}` : 'refused'})`;
  }
  if (!deps.backend) return 'skipped (no object store configured)';
  try {
    await deps.backend.deleteObject(objectRef(caller, column.bucket, key));
    return 'deleted';
  } catch (error) {
    return `failed (${error instanceof HttpError ? error.message : 'object storage error'})`;
  }
}

export function fileCascade(
  deps: CascadeDeps | undefined,
  release: ReleasePayload,
  caller: Caller,
  table: Table,
): Cascade | undefined {
  const columns = cascadingColumns(release, table);
  if (!deps || columns.length === 0) return undefined;
  return {
    returning: columns.map((column) => quote(column.name)).join(', '),
    start(rows) {
      for (const row of rows) {
        for (const column of columns) {
          const value = row[column.name];
          if (typeof value !== 'string' || value.trim() === '') continue;
          void deleteOne(deps, release, caller, column, value).then((outcome) =>
            deps.log(
              `storage cascade ${outcome}: ${table.name}.${column.name} bucket=${column.bucket} key=${JSON.stringify(value.slice(0, 200))} id=${deps.requestId}`,
            ),
          );
        }
      }
    },
  };
}
