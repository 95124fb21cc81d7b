import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

/**
 * The plugin's own tables. They are not Strapi content types: versions are append-only history and
 * the outbox is a work queue, both needing constraints (unique keys, a claim index) that Strapi's
 * schema sync does not manage; `migrations.ts` creates and changes them. Times are epoch milliseconds
 * and JSON is text, so SQLite and PostgreSQL behave the same.
 */
export const TABLES = {
  versions: 'cn_versions',
  outbox: 'cn_outbox',
  notices: 'cn_notices',
  deliveries: 'cn_deliveries',
  acks: 'cn_acks',
  subscriptions: 'cn_subscriptions',
  views: 'cn_views',
  fileTexts: 'cn_file_texts',
  filePreviews: 'cn_file_previews',
  importItems: 'cn_import_items',
  importFiles: 'cn_import_files',
  shares: 'cn_shares',
  shareViews: 'cn_share_views',
  migrations: 'cn_migrations',
} as const;

/** A query builder on one of our tables, inside the current transaction when there is one. */
export function tableIn(strapi: Core.Strapi, trx: Knex.Transaction | null | undefined, table: string): Knex.QueryBuilder {
  const schemaName = strapi.db.getSchemaName();
  const qb = trx ? trx(table) : strapi.db.connection(table);
  return schemaName ? qb.withSchema(schemaName) : qb;
}

/** PostgreSQL returns bigint as string; SQLite as number. */
export const toMillis = (v: unknown): number => Number(v);

export const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : (v as T));
