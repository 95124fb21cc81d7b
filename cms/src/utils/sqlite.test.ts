import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { setUpSqliteConnection } from './sqlite';

describe('SQLite connections shared by two processes', () => {
  const open: Knex[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-sqlite-'));
  afterEach(async () => {
    await Promise.all(open.splice(0).map((k) => k.destroy()));
  });
  /** A connection as config/database.ts makes one, or as it did before: the same pragmas, knex's deferred BEGIN. */
  const connect = (file: string, setUp: boolean) => {
    const before = (c: unknown) => {
      const db = c as { pragma(sql: string): unknown };
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
    };
    const k = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, file) },
      useNullAsDefault: true,
      pool: { min: 1, max: 1, afterCreate: (c: unknown, done: (e: Error | null, c: unknown) => void) => ((setUp ? setUpSqliteConnection : before)(c), done(null, c)) },
    });
    open.push(k);
    return k;
  };

  /** The worker: another process writing one row (waiting up to 5 s for a lock, as ours do). */
  const workerWrites = (file: string) =>
    new Promise<number>((resolve) => {
      const script = "const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.pragma('busy_timeout = 5000'); db.prepare('insert into t (who) values (?)').run('worker');";
      spawn(process.execPath, ['-e', script, path.join(dir, file)], { stdio: 'ignore' }).once('exit', (code) => resolve(code ?? 1));
    });

  /** The web's transaction reads, the worker writes meanwhile, then the web writes. */
  async function race(file: string, setUp: boolean) {
    const web = connect(file, setUp);
    await web.schema.createTable('t', (t) => t.string('who'));
    const trx = await web.transaction();
    await trx('t').select();
    const worker = workerWrites(file);
    // The worker is done (deferred: nothing stops it) or waiting for the web's lock (IMMEDIATE).
    await Promise.race([worker, new Promise((r) => setTimeout(r, 1500))]);
    try {
      await trx('t').insert({ who: 'web' });
      await trx.commit();
    } finally {
      if (!trx.isCompleted()) await trx.rollback().catch(() => undefined);
      expect(await worker).toBe(0);
    }
    return (await web('t').select('who')).map((r: { who: string }) => r.who).sort();
  }

  it('a deferred transaction that read fails at once when the other process wrote (what knex does alone)', async () => {
    await expect(race('plain.db', false)).rejects.toThrow(/SQLITE_BUSY|database is locked/);
  });

  it('with IMMEDIATE transactions the other process waits its turn, and both writes land', async () => {
    expect(await race('immediate.db', true)).toEqual(['web', 'worker']);
  });
});
