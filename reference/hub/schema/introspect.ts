/** What a project database holds: the public schema's base tables and their columns. */
import pg from 'pg';

export interface LiveColumn {
  readonly type: string;
  readonly nullable: boolean;
}

export type LiveSchema = Record<string, Record<string, LiveColumn>>;

const COLUMNS = `
SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum`;

export async function introspect(client: pg.Client): Promise<LiveSchema> {
  const rows = (
    await client.query<{ table_name: string; column_name: string; type: string; nullable: boolean }>(COLUMNS)
  ).rows;
  const live: LiveSchema = {};
  for (const row of rows) (live[row.table_name] ??= {})[row.column_name] = { type: row.type, nullable: row.nullable };
  return live;
}

/** Single-column unique constraints and unique indexes of the public schema, keyed `table.column`. */
export type LiveUniques = Record<string, { readonly kind: 'constraint' | 'index'; readonly name: string }>;

const UNIQUES = `
SELECT t.relname AS table_name, a.attname AS column_name, i.relname AS index_name, con.conname AS constraint_name
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
LEFT JOIN pg_constraint con ON con.conindid = x.indexrelid AND con.contype = 'u'
WHERE n.nspname = 'public' AND x.indisunique AND NOT x.indisprimary AND x.indnatts = 1 AND x.indpred IS NULL AND x.indexprs IS NULL`;

export async function introspectUniques(client: pg.Client): Promise<LiveUniques> {
  const rows = (
    await client.query<{ table_name: string; column_name: string; index_name: string; constraint_name: string | null }>(
      UNIQUES,
    )
  ).rows;
  const uniques: LiveUniques = {};
  for (const row of rows) {
    uniques[`${row.table_name}.${row.column_name}`] = row.constraint_name
      ? { kind: 'constraint', name: row.constraint_name }
      : { kind: 'index', name: row.index_name };
  }
  return uniques;
}

/** A client of the database at `url`; a connection lost later surfaces on the next query, not as a crash. */
export async function connectDatabase(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export async function withDatabase<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectDatabase(url);
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The project databases one request works on: each connection opened on first use and kept until `close`. */
export interface ProjectDatabases {
  /** The client of connection `name`; `url` is only read the first time the name is asked for. */
  client(name: string, url: string): Promise<pg.Client>;
  /** Ends every client opened so far; never throws. */
  close(): Promise<void>;
}

export function openProjectDatabases(connect = connectDatabase): ProjectDatabases {
  const clients = new Map<string, Promise<pg.Client>>();
  return {
    client(name, url) {
      const known = clients.get(name);
      if (known) return known;
      const opened = connect(url);
      clients.set(name, opened);
      return opened;
    },
    async close() {
      const settled = await Promise.allSettled(clients.values());
      clients.clear();
      const opened = settled.flatMap((entry) => (entry.status === 'fulfilled' ? [entry.value] : []));
      await Promise.all(opened.map((client) => client.end().catch(() => undefined)));
    },
  };
}

/** Runs `work` on `shared` when given (its owner closes it), else on databases opened and closed here. */
export async function withProjectDatabases<T>(
  work: (databases: ProjectDatabases) => Promise<T>,
  shared?: ProjectDatabases,
): Promise<T> {
  if (shared) return work(shared);
  const databases = openProjectDatabases();
  try {
    return await work(databases);
  } finally {
    await databases.close();
  }
}

/** Differences between a baseline and the live schema, as the drift policy's issue strings, sorted. */
export function diffSchemas(baseline: LiveSchema, live: LiveSchema): string[] {
  const issues: { key: string; text: string }[] = [];
  const add = (table: string, column: string, kind: number, text: string) =>
    issues.push({ key: `${table}\u0000${column}\u0000${kind}`, text });
  for (const [table, columns] of Object.entries(baseline)) {
    const current = live[table];
    if (!current) {
      add(table, '', 0, `missing table ${table}`);
      continue;
    }
    for (const [column, expected] of Object.entries(columns)) {
      const found = current[column];
      if (!found) add(table, column, 2, `missing column ${table}.${column}`);
      else {
        if (found.type !== expected.type)
          add(table, column, 4, `type changed ${table}.${column}: ${expected.type} -> ${found.type}`);
        if (found.nullable !== expected.nullable) {
          add(
            table,
            column,
            5,
            `nullability changed ${table}.${column}: ${nullability(expected.nullable)} -> ${nullability(found.nullable)}`,
          );
        }
      }
    }
    for (const column of Object.keys(current))
      if (!columns[column]) add(table, column, 3, `extra column ${table}.${column}`);
  }
  for (const table of Object.keys(live)) if (!baseline[table]) add(table, '', 1, `extra table ${table}`);
  return issues.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((issue) => issue.text);
}

function nullability(nullable: boolean): string {
  return nullable ? 'nullable' : 'not null';
}
