import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { TABLES } from './tables';

type SchemaOf = () => Knex.SchemaBuilder;

interface Migration {
  id: number;
  name: string;
  up(schema: SchemaOf): Promise<void>;
}

/**
 * The plugin's tables, as a numbered list of changes applied once each and recorded in
 * `cn_migrations`. The next column change is a new entry at the end; never edit an applied one.
 */
export const MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'create the versions, outbox, notices, deliveries, acks, subscriptions and views tables',
    // Idempotent: databases from before migrations have these tables already.
    async up(schema) {

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

    },
  },
  {
    id: 2,
    name: 'outbox priority and lane: urgent work first, senders shared between notices',
    async up(schema) {
      await schema().alterTable(TABLES.outbox, (t) => {
        t.integer('priority').notNullable().defaultTo(20);
        t.string('lane', 64);
      });
      await schema().alterTable(TABLES.outbox, (t) => {
        t.index(['state', 'priority', 'available_at'], 'cn_outbox_due_idx');
      });
    },
  },
  {
    id: 3,
    name: 'file texts: what was read from each uploaded file, per page, slide or sheet',
    async up(schema) {
      await schema().createTable(TABLES.fileTexts, (t) => {
        t.integer('file_id').primary();
        // sha256 of the bytes read: an unchanged file is not read again.
        t.string('content_hash', 64).notNullable();
        t.string('status', 12).notNullable();
        t.string('kind', 12);
        t.string('mime', 255);
        t.string('reason', 24);
        t.text('message');
        // [{ label, index, text }] as JSON.
        t.text('parts').notNullable();
        t.boolean('truncated').notNullable().defaultTo(false);
        t.integer('chars').notNullable().defaultTo(0);
        t.bigInteger('extracted_at').notNullable();
      });
    },
  },
  {
    id: 4,
    name: 'file texts: a MinHash signature of the text, to list near-duplicate files',
    async up(schema) {
      await schema().alterTable(TABLES.fileTexts, (t) => {
        // 64 numbers as JSON (files/similarity.ts); null for a file with too little text.
        t.text('minhash');
        t.index(['content_hash'], 'cn_file_texts_hash_idx');
      });
    },
  },
  {
    id: 5,
    name: 'file previews: a WebP picture of each of the first pages (or the first slide) of a file',
    async up(schema) {
      await schema().createTable(TABLES.filePreviews, (t) => {
        t.integer('file_id').notNullable();
        t.integer('page').notNullable();
        // The bytes pictured (as in cn_file_texts): also the picture's ETag.
        t.string('content_hash', 64).notNullable();
        t.integer('width').notNullable();
        t.integer('height').notNullable();
        // A few KB to a few tens of KB each; kept beside the text so both go with the file.
        t.binary('image').notNullable();
        t.primary(['file_id', 'page'], 'cn_file_previews_pk');
      });
    },
  },
  {
    id: 6,
    name: 'imports: which source files an import brought in, and the item each became, so a re-run or a resumed run imports nothing twice',
    async up(schema) {
      await schema().createTable(TABLES.importItems, (t) => {
        // sha256 of the family's stable key (imports/ledger): one collateral per document family.
        t.string('item_key', 64).primary();
        t.string('document_id', 64).notNullable();
        t.string('title', 255).notNullable();
        t.bigInteger('created_at').notNullable();
      });
      await schema().createTable(TABLES.importFiles, (t) => {
        // sha256 of (source path, content sha256): the same bytes at the same path are imported once.
        t.string('source_key', 64).primary();
        t.text('source_path').notNullable();
        t.string('content_hash', 64).notNullable();
        // The upload holding these bytes; null while it is being uploaded (a crash there is adopted).
        t.integer('upload_id');
        t.string('item_key', 64);
        t.integer('version_number');
        // uploading | version (a version of its item) | copy (the same bytes as a version)
        t.string('outcome', 12).notNullable();
        t.bigInteger('started_at').notNullable();
        t.bigInteger('imported_at');
        t.index(['content_hash'], 'cn_import_files_hash_idx');
      });
    },
  },
  {
    id: 7,
    name: 'share links to buyers, what each buyer did with them, and customer-safe versions',
    async up(schema) {
      await schema().createTable(TABLES.shares, (t) => {
        t.increments('id');
        // The random half of the token (shares/tokens.ts); the other half is its HMAC, never stored.
        t.string('selector', 24).notNullable().unique('cn_shares_selector_uq');
        t.string('collateral_document_id', 64).notNullable();
        t.integer('user_id').notNullable();
        t.string('buyer_name', 120).notNullable();
        t.string('buyer_email', 254).notNullable();
        t.string('buyer_company', 120).notNullable();
        t.boolean('allow_download').notNullable().defaultTo(false);
        t.bigInteger('created_at').notNullable();
        t.bigInteger('expires_at').notNullable();
        t.bigInteger('revoked_at');
        t.string('revoked_by', 160);
        t.bigInteger('first_opened_at');
        // The link the rep sent this buyer instead, once the item was retracted.
        t.integer('replaced_by');
        t.index(['collateral_document_id'], 'cn_shares_collateral_idx');
        t.index(['user_id'], 'cn_shares_user_idx');
      });
      await schema().createTable(TABLES.shareViews, (t) => {
        t.increments('id');
        t.integer('share_id').notNullable();
        // open (the page), page (one pictured page), download (a file's bytes)
        t.string('kind', 12).notNullable();
        t.integer('file_id');
        t.integer('page');
        t.bigInteger('created_at').notNullable();
        t.index(['share_id', 'kind'], 'cn_share_views_share_idx');
      });
      await schema().alterTable(TABLES.versions, (t) => {
        // Marketing marked this version fit for buyers: a scaled-back item's links serve the newest such.
        t.boolean('customer_safe').notNullable().defaultTo(false);
      });
    },
  },
];

/**
 * Applies the migrations not yet recorded, each in its own transaction with its record. Instances
 * booting at once (web and workers) race on the record's primary key: the loser waits for the
 * winner's commit and skips, so every migration runs exactly once, on SQLite and PostgreSQL.
 */
export async function migrate(strapi: Core.Strapi): Promise<number[]> {
  const schemaName = strapi.db.getSchemaName();
  const knex = strapi.db.connection;
  const schemaOf = (k: Knex | Knex.Transaction): SchemaOf => () => (schemaName ? k.schema.withSchema(schemaName) : k.schema);
  const table = (k: Knex | Knex.Transaction) => (schemaName ? k(TABLES.migrations).withSchema(schemaName) : k(TABLES.migrations));
  if (!(await schemaOf(knex)().hasTable(TABLES.migrations))) {
    await schemaOf(knex)()
      .createTable(TABLES.migrations, (t) => {
        t.integer('id').primary();
        t.string('name', 255).notNullable();
        t.bigInteger('applied_at').notNullable();
      })
      .catch(async (err: unknown) => {
        // Another instance created it a moment ago.
        if (!(await schemaOf(knex)().hasTable(TABLES.migrations))) throw err;
      });
  }
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    const done = await table(knex).where({ id: migration.id }).first('id');
    if (done) continue;
    await knex.transaction(async (trx) => {
      const claimed = await table(trx).insert({ id: migration.id, name: migration.name, applied_at: Date.now() }).onConflict('id').ignore().returning('id');
      if (!Array.isArray(claimed) || claimed.length === 0) return;
      await migration.up(schemaOf(trx));
      applied.push(migration.id);
    });
  }
  if (applied.length) strapi.log.info(`[change-notices] applied migrations ${applied.join(', ')}`);
  return applied;
}
