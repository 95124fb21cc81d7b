import path from 'node:path';
import type { Core } from '@strapi/strapi';

/**
 * SQLite under the repo's `.data/` by default (the local stack); PostgreSQL when `DATABASE_URL` or
 * `DATABASE_CLIENT=postgres` is set. Both run the same code paths.
 */
const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Database => {
  const client = env('DATABASE_CLIENT', env('DATABASE_URL') ? 'postgres' : 'sqlite');
  const pool = { min: env.int('DATABASE_POOL_MIN', 0), max: env.int('DATABASE_POOL_MAX', 10) };
  const acquireConnectionTimeout = env.int('DATABASE_CONNECTION_TIMEOUT', 60000);

  if (client === 'postgres') {
    return {
      connection: {
        client: 'postgres',
        connection: {
          connectionString: env('DATABASE_URL'),
          host: env('DATABASE_HOST', 'localhost'),
          port: env.int('DATABASE_PORT', 5432),
          database: env('DATABASE_NAME', 'candor'),
          user: env('DATABASE_USERNAME', 'candor'),
          password: env('DATABASE_PASSWORD', ''),
          ssl: env.bool('DATABASE_SSL', false) && {
            rejectUnauthorized: env.bool('DATABASE_SSL_REJECT_UNAUTHORIZED', true),
          },
          schema: env('DATABASE_SCHEMA', 'public'),
        },
        pool,
        acquireConnectionTimeout,
      },
    };
  }
  if (client !== 'sqlite') {
    throw new Error(`Unsupported DATABASE_CLIENT "${client}": Candor runs on "sqlite" or "postgres".`);
  }
  // path.resolve (not join): an absolute DATABASE_FILENAME must stay absolute.
  const appDir = path.resolve(__dirname, '..', '..');
  return {
    connection: {
      client: 'sqlite',
      connection: {
        filename: path.resolve(appDir, env('DATABASE_FILENAME', '../.data/cms.db')),
      },
      useNullAsDefault: true,
      acquireConnectionTimeout,
      pool: {
        // WAL lets readers run beside the writer (the dispatcher writes while the API reads), and
        // synchronous=NORMAL is the safe WAL setting that spares an fsync per commit.
        afterCreate: (conn: unknown, done: (err?: Error, conn?: unknown) => void) => {
          try {
            const db = conn as { pragma(sql: string): unknown };
            db.pragma('journal_mode = WAL');
            db.pragma('synchronous = NORMAL');
            db.pragma('busy_timeout = 5000');
            done(undefined, conn);
          } catch (err) {
            done(err as Error, conn);
          }
        },
      },
    },
  };
};

export default config;
