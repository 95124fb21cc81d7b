/**
 * How every SQLite connection of the embedded default is set up (config/database.ts, knex's pool
 * `afterCreate`). The web Strapi and the worker are separate processes on one database file:
 * - WAL lets readers run beside the writer, and synchronous=NORMAL is the safe WAL setting that spares
 *   an fsync per commit; busy_timeout makes a writer wait up to 5 s for the other process's write.
 * - Transactions begin IMMEDIATE. knex sends a plain `BEGIN;` (deferred), which takes the write lock
 *   only at its first write; if the other process wrote in between, SQLite refuses at once with
 *   SQLITE_BUSY (waiting could deadlock, so busy_timeout does not apply) and a marketer's save failed
 *   with a 500. IMMEDIATE takes the write lock up front, where busy_timeout does apply. knex has no
 *   option for it, so the connection's `prepare` rewrites that one statement.
 */
interface SqliteConnection {
  pragma(sql: string): unknown;
  prepare(sql: string): unknown;
}

export function setUpSqliteConnection(conn: unknown): void {
  const db = conn as SqliteConnection;
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const prepare = db.prepare.bind(db);
  db.prepare = (sql: string) => prepare(/^\s*BEGIN\s*;?\s*$/i.test(sql) ? 'BEGIN IMMEDIATE;' : sql);
}
