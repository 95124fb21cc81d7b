import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { TABLES, tableIn, toMillis } from '../database/tables';

/** What became of one source file (a path with its bytes) in an import. */
export type ImportOutcome = 'uploading' | 'version' | 'copy';

export interface ImportedFile {
  sourceKey: string;
  sourcePath: string;
  contentHash: string;
  uploadId: number | null;
  itemKey: string | null;
  versionNumber: number | null;
  outcome: ImportOutcome;
  startedAt: number;
  importedAt: number | null;
}

export interface ImportedItem {
  itemKey: string;
  documentId: string;
  title: string;
  createdAt: number;
}

interface FileRow {
  source_key: string;
  source_path: string;
  content_hash: string;
  upload_id: number | string | null;
  item_key: string | null;
  version_number: number | string | null;
  outcome: ImportOutcome;
  started_at: number | string;
  imported_at: number | string | null;
}

const fromFileRow = (r: FileRow): ImportedFile => ({
  sourceKey: r.source_key,
  sourcePath: r.source_path,
  contentHash: r.content_hash,
  uploadId: r.upload_id == null ? null : Number(r.upload_id),
  itemKey: r.item_key,
  versionNumber: r.version_number == null ? null : Number(r.version_number),
  outcome: r.outcome,
  startedAt: toMillis(r.started_at),
  importedAt: r.imported_at == null ? null : toMillis(r.imported_at),
});

// SQLite allows 999 bound parameters per statement: ask in slices.
const SLICE = 500;

/**
 * The import's memory (`npm run import`): which source files were brought in, the upload holding
 * their bytes and the item each became. Keys are built by the import (a sha256 of the source path
 * and content, and of the document family): a re-run finds every file it imported, a resumed run
 * finds where it stopped. Rows are written in the transaction that creates the item or its version,
 * so the ledger and the content never disagree.
 */
export const createImportsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const files = (trx?: Knex.Transaction | null) => tableIn(strapi, trx, TABLES.importFiles);
  const items = (trx?: Knex.Transaction | null) => tableIn(strapi, trx, TABLES.importItems);

  return {
    /** The source files already known, by source key. */
    async filesByKey(keys: string[]): Promise<Map<string, ImportedFile>> {
      const out = new Map<string, ImportedFile>();
      for (let i = 0; i < keys.length; i += SLICE) {
        const rows = (await files().whereIn('source_key', keys.slice(i, i + SLICE))) as FileRow[];
        for (const r of rows) out.set(r.source_key, fromFileRow(r));
      }
      return out;
    },

    /** Every file row with these bytes (any path): an upload to reuse, or one interrupted mid-way. */
    async filesWithContent(contentHash: string): Promise<ImportedFile[]> {
      return ((await files().where({ content_hash: contentHash }).orderBy('started_at', 'asc')) as FileRow[]).map(fromFileRow);
    },

    /** Upload ids the ledger already owns (so an interrupted upload is not adopted twice). */
    async knownUploadIds(ids: number[]): Promise<Set<number>> {
      if (!ids.length) return new Set();
      const rows = (await files().whereIn('upload_id', ids).select('upload_id')) as { upload_id: number | string }[];
      return new Set(rows.map((r) => Number(r.upload_id)));
    },

    /** Notes that these bytes are about to be uploaded, before the upload (which no transaction covers). */
    async beginUpload(input: { sourceKey: string; sourcePath: string; contentHash: string }): Promise<void> {
      await files()
        .insert({ source_key: input.sourceKey, source_path: input.sourcePath, content_hash: input.contentHash, outcome: 'uploading', started_at: Date.now() })
        .onConflict('source_key')
        .ignore();
    },

    /** The upload is stored: later steps (and a resumed run) use it. */
    async finishUpload(sourceKey: string, uploadId: number): Promise<void> {
      await files().where({ source_key: sourceKey }).update({ upload_id: uploadId });
    },

    async item(itemKey: string): Promise<ImportedItem | null> {
      const row = (await items().where({ item_key: itemKey }).first()) as { item_key: string; document_id: string; title: string; created_at: number | string } | undefined;
      return row ? { itemKey: row.item_key, documentId: row.document_id, title: row.title, createdAt: toMillis(row.created_at) } : null;
    },

    /** In the transaction that created the item. */
    async recordItem(trx: Knex.Transaction, input: { itemKey: string; documentId: string; title: string }): Promise<void> {
      await items(trx).insert({ item_key: input.itemKey, document_id: input.documentId, title: input.title.slice(0, 255), created_at: Date.now() });
    },

    /** In the transaction that recorded the version these files are (or are copies of). */
    async recordFiles(
      trx: Knex.Transaction,
      rows: { sourceKey: string; sourcePath: string; contentHash: string; uploadId: number; itemKey: string; versionNumber: number; outcome: Exclude<ImportOutcome, 'uploading'> }[]
    ): Promise<void> {
      const now = Date.now();
      for (const r of rows) {
        await files(trx)
          .insert({
            source_key: r.sourceKey,
            source_path: r.sourcePath,
            content_hash: r.contentHash,
            upload_id: r.uploadId,
            item_key: r.itemKey,
            version_number: r.versionNumber,
            outcome: r.outcome,
            started_at: now,
            imported_at: now,
          })
          .onConflict('source_key')
          .merge(['upload_id', 'item_key', 'version_number', 'outcome', 'imported_at']);
      }
    },

    /** How much the ledger holds, for reports and tests. */
    async counts(): Promise<{ items: number; files: number; pending: number }> {
      const n = async (qb: Knex.QueryBuilder) => Number(((await qb.count({ n: '*' })) as { n: number | string }[])[0]!.n);
      return { items: await n(items()), files: await n(files().whereNot({ outcome: 'uploading' })), pending: await n(files().where({ outcome: 'uploading' })) };
    },
  };
};

export type ImportsService = ReturnType<typeof createImportsService>;
