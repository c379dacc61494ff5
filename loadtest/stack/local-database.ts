/**
 * The embedded PostgreSQL (db/) and its migration, loaded when a run starts its own stack: a program that
 * imports the library to load a server it started itself (`runTarget`) never loads the database code or
 * its driver.
 */
export async function loadLocalDatabase() {
  const [{ startEmbeddedPostgres }, { migrate }] = await Promise.all([
    import('../../db/embedded.ts'),
    import('../../db/migrate.ts'),
  ]);
  return { startEmbeddedPostgres, migrate };
}
