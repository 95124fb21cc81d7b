import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

/**
 * The plugin's own tables. They are not Strapi content types: versions are append-only history and
 * the outbox is a work queue, both needing constraints (unique keys, a claim index) that Strapi's
 * schema sync does not manage. Times are epoch milliseconds and JSON is text, so SQLite and
 * PostgreSQL behave the same.
 */
export const TABLES = { versions: 'cn_versions', outbox: 'cn_outbox' } as const;

export async function ensureTables(strapi: Core.Strapi) {
  const schemaName = strapi.db.getSchemaName();
  const schema = () => (schemaName ? strapi.db.connection.schema.withSchema(schemaName) : strapi.db.connection.schema);

  if (!(await schema().hasTable(TABLES.versions))) {
    await schema().createTable(TABLES.versions, (t) => {
      t.increments('id');
      t.string('subject_uid', 64).notNullable();
      t.string('subject_document_id', 64).notNullable();
      t.integer('number').notNullable();
      t.string('cause', 16).notNullable();
      t.string('title', 255).notNullable();
      t.text('summary').notNullable();
      t.text('note');
      t.string('standing', 16).notNullable();
      t.text('standing_reason');
      t.text('now_true');
      t.text('snapshot').notNullable();
      t.text('changes').notNullable();
      t.string('author_kind', 8).notNullable();
      t.integer('author_id');
      t.string('author_name', 255).notNullable();
      t.bigInteger('created_at').notNullable();
      // A repeated publish event can never produce two versions with one number.
      t.unique(['subject_uid', 'subject_document_id', 'number'], { indexName: 'cn_versions_subject_number_uq' });
    });
  }
  if (!(await schema().hasTable(TABLES.outbox))) {
    await schema().createTable(TABLES.outbox, (t) => {
      t.bigIncrements('id');
      t.string('topic', 48).notNullable();
      // Duplicate events and replays collapse onto one row.
      t.string('idempotency_key', 255).notNullable().unique({ indexName: 'cn_outbox_key_uq' });
      t.text('payload').notNullable();
      t.string('state', 12).notNullable().defaultTo('pending');
      t.integer('attempts').notNullable().defaultTo(0);
      t.bigInteger('available_at').notNullable();
      t.string('locked_by', 64);
      t.bigInteger('locked_at');
      t.text('last_error');
      t.bigInteger('created_at').notNullable();
      t.bigInteger('done_at');
      t.index(['state', 'available_at'], 'cn_outbox_claim_idx');
    });
  }
}

/** A query builder on one of our tables, inside the current transaction when there is one. */
export function tableIn(strapi: Core.Strapi, trx: Knex.Transaction | null | undefined, table: string): Knex.QueryBuilder {
  const schemaName = strapi.db.getSchemaName();
  const qb = trx ? trx(table) : strapi.db.connection(table);
  return schemaName ? qb.withSchema(schemaName) : qb;
}

/** PostgreSQL returns bigint as string; SQLite as number. */
export const toMillis = (v: unknown): number => Number(v);

export const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : (v as T));
