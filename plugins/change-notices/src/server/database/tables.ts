import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

/**
 * The plugin's own tables. They are not Strapi content types: versions are append-only history and
 * the outbox is a work queue, both needing constraints (unique keys, a claim index) that Strapi's
 * schema sync does not manage. Times are epoch milliseconds and JSON is text, so SQLite and
 * PostgreSQL behave the same.
 */
export const TABLES = {
  versions: 'cn_versions',
  outbox: 'cn_outbox',
  notices: 'cn_notices',
  deliveries: 'cn_deliveries',
  acks: 'cn_acks',
  subscriptions: 'cn_subscriptions',
  views: 'cn_views',
} as const;

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
  if (!(await schema().hasTable(TABLES.notices))) {
    await schema().createTable(TABLES.notices, (t) => {
      t.increments('id');
      // One notice per change, however often the change's event is replayed.
      t.string('notice_key', 255).notNullable().unique({ indexName: 'cn_notices_key_uq' });
      t.string('urgency', 16).notNullable();
      t.string('subject_uid', 64).notNullable();
      t.string('subject_document_id', 64).notNullable();
      t.integer('version');
      t.string('headline', 400).notNullable();
      t.text('what_changed').notNullable();
      t.text('why');
      t.text('what_to_do').notNullable();
      t.text('link').notNullable();
      t.text('details').notNullable();
      t.string('actor_name', 255).notNullable();
      t.integer('audience').notNullable().defaultTo(0);
      t.bigInteger('created_at').notNullable();
      t.bigInteger('reminded_at');
      t.index(['created_at'], 'cn_notices_created_idx');
    });
  }
  if (!(await schema().hasTable(TABLES.deliveries))) {
    await schema().createTable(TABLES.deliveries, (t) => {
      t.increments('id');
      t.integer('notice_id').notNullable();
      // users-permissions user id; null for a team channel (Slack/Teams webhook).
      t.integer('user_id');
      t.string('channel', 8).notNullable();
      // Email address or team channel name: with channel, the exactly-once key of a delivery.
      t.string('target', 255).notNullable();
      t.string('state', 10).notNullable();
      t.bigInteger('sent_at');
      t.bigInteger('read_at');
      t.text('last_error');
      t.bigInteger('created_at').notNullable();
      t.unique(['notice_id', 'channel', 'target'], { indexName: 'cn_deliveries_once_uq' });
      t.index(['user_id', 'channel'], 'cn_deliveries_user_idx');
    });
  }
  if (!(await schema().hasTable(TABLES.acks))) {
    await schema().createTable(TABLES.acks, (t) => {
      t.increments('id');
      t.integer('notice_id').notNullable();
      t.integer('user_id').notNullable();
      t.string('via', 8).notNullable();
      t.bigInteger('created_at').notNullable();
      t.unique(['notice_id', 'user_id'], { indexName: 'cn_acks_once_uq' });
    });
  }
  if (!(await schema().hasTable(TABLES.subscriptions))) {
    await schema().createTable(TABLES.subscriptions, (t) => {
      t.integer('user_id').primary();
      t.text('products').notNullable();
      t.text('regions').notNullable();
      t.text('kinds').notNullable();
      t.text('channels').notNullable();
      t.string('cadence', 8).notNullable();
      t.bigInteger('updated_at').notNullable();
    });
  }
  if (!(await schema().hasTable(TABLES.views))) {
    await schema().createTable(TABLES.views, (t) => {
      t.bigIncrements('id');
      t.string('collateral_document_id', 64).notNullable();
      t.integer('user_id').notNullable();
      t.string('action', 10).notNullable();
      t.bigInteger('created_at').notNullable();
      t.index(['collateral_document_id', 'created_at'], 'cn_views_doc_idx');
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
