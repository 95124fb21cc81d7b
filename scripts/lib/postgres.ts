import pg from 'pg';

/** Where tests find a PostgreSQL server they may create throwaway databases on. */
export const TEST_PG_URL = process.env.CANDOR_TEST_PG_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';

/** Resolves null when the server answers, else the reason it does not. */
export async function probePostgres(url = TEST_PG_URL): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates an empty database for one test file and returns its URL and a dropper. */
export async function createTestDatabase(prefix: string, url = TEST_PG_URL) {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  return {
    url: dbUrl.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}
