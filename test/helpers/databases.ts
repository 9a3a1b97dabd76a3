/** What a PostgreSQL server holds, read as a user would check it. */
import pg from 'pg';

/** Databases on the server `adminUrl` names whose names start with `prefix`, in name order. */
export async function databasesNamed(adminUrl: string, prefix: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      'SELECT datname AS name FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname',
      [prefix],
    );
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}
