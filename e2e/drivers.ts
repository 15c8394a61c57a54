import pg from 'pg';

export type Driver = 'pglite' | 'postgres';

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The drivers the integration suite runs on: always the embedded one, and the PostgreSQL server
 * when one answers at TEST_DATABASE_URL (CI starts it). Skipping says why, once.
 */
async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    console.warn(`Skipping the PostgreSQL run: no server answers at ${POSTGRES_URL} (${(error as Error).message})`);
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export const DRIVERS: Driver[] = (await postgresAnswers()) ? ['pglite', 'postgres'] : ['pglite'];

/** Test schemas are throwaway: drop them so repeated runs leave the server as they found it. */
export async function dropSchemas(schemas: string[]): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
