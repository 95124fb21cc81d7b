import { createHash } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { errors } from '@strapi/utils';
import type { DuplicateGroup, FileTextStatus, MergeResponse } from '../../shared/contracts';
import type { Actor } from '../common/actor';
import { extractLimitsOf, pluginConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { TABLES, parseJson, tableIn } from '../database/tables';
import { outboxJob, type OutboxJob } from '../outbox';
import { getService } from '../services';
import { SUBJECTS } from '../subjects';
import { extractText, resolveLimits, type ExtractedPart } from './extract';
import { DEFAULT_PREVIEW_WIDTH, renderPreviews, type PreviewImage } from './preview';
import type { ExtractKind } from './types';
import { groupSimilar, minhashOf, NEAR_DUPLICATE, similarityOf } from './similarity';

export const UPLOAD_FILE_UID = 'plugin::upload.file';

/** An upload row as the extraction needs it. */
export interface UploadedFile {
  id: number;
  name: string;
  hash: string;
  ext: string | null;
  mime: string | null;
  size: number | null;
  url: string;
  provider: string;
}

/**
 * Reads a stored file's bytes. The app registers one (`useReader`): where files live (a private folder,
 * a private bucket) is the app's business, not the plugin's.
 */
export type FileReader = (file: UploadedFile) => Promise<Buffer>;

/** What was read from one file, as stored in cn_file_texts. */
export interface FileText {
  fileId: number;
  contentHash: string;
  status: 'ok' | 'unreadable';
  kind: string | null;
  mime: string | null;
  reason: string | null;
  message: string | null;
  parts: ExtractedPart[];
  truncated: boolean;
  chars: number;
  extractedAt: number;
}

interface FileTextRow {
  file_id: number | string;
  content_hash: string;
  status: 'ok' | 'unreadable';
  kind: string | null;
  mime: string | null;
  reason: string | null;
  message: string | null;
  parts: string;
  truncated: boolean | number;
  chars: number | string;
  extracted_at: number | string;
}

const fromRow = (r: FileTextRow): FileText => ({
  fileId: Number(r.file_id),
  contentHash: r.content_hash,
  status: r.status,
  kind: r.kind,
  mime: r.mime,
  reason: r.reason,
  message: r.message,
  parts: parseJson<ExtractedPart[]>(r.parts) ?? [],
  truncated: Boolean(r.truncated),
  chars: Number(r.chars),
  extractedAt: Number(r.extracted_at),
});

/** The stored MinHash of a file's text (JSON), or null when it has too little text to compare. */
const signatureOf = (parts: ExtractedPart[]): string | null => {
  const sig = minhashOf(parts.map((p) => p.text).join('\n'));
  return sig ? JSON.stringify(sig) : null;
};

/** Pictures, films and sound carry no text we read; everything else is tried (the bytes decide). */
export const hasReadableText = (mime: string | null | undefined): boolean => !/^(image|video|audio)\//.test(mime ?? '');

export const FILE_FIELDS = ['id', 'name', 'hash', 'ext', 'mime', 'size', 'url', 'provider'];

/**
 * Files as truth: reads the text of every uploaded file in the worker (the `file.extract` outbox job,
 * queued when a file is uploaded or replaced), keeps it per page, slide or sheet in cn_file_texts, and
 * re-indexes the collateral that uses the file. A file whose bytes did not change is not read again.
 */
export const createFilesService = ({ strapi }: { strapi: Core.Strapi }) => {
  let reader: FileReader | null = null;
  const cfg = () => pluginConfig(strapi).files;

  /**
   * Pictures of the file's first pages for the portal. A file that cannot be pictured keeps its text:
   * the failure is logged, never stored as the file's status.
   */
  async function picture(file: UploadedFile, bytes: Buffer, kind: ExtractKind | null): Promise<PreviewImage[]> {
    const maxPages = cfg().previewPages;
    if (!kind || maxPages === 0) return [];
    try {
      return await renderPreviews(bytes, kind, { width: DEFAULT_PREVIEW_WIDTH, maxPages, limits: resolveLimits(extractLimitsOf(cfg())) });
    } catch (err) {
      strapi.log.warn(`[${PLUGIN_ID}] files: no preview of ${file.name} (#${file.id}): ${(err as Error).message}`);
      return [];
    }
  }

  /** Replaces the file's pictures (inside the transaction that stores its text). */
  async function storePreviews(trx: Knex.Transaction, fileId: number, contentHash: string, images: PreviewImage[]): Promise<void> {
    await tableIn(strapi, trx, TABLES.filePreviews).where({ file_id: fileId }).delete();
    if (images.length) {
      await tableIn(strapi, trx, TABLES.filePreviews).insert(images.map((i) => ({ file_id: fileId, page: i.page, content_hash: contentHash, width: i.width, height: i.height, image: i.webp })));
    }
  }

  /** Collateral (any row: draft or published) that has the upload among its files. */
  async function collateralUsing(fileId: number): Promise<string[]> {
    const rows = (await strapi.db.query(SUBJECTS.collateral.uid).findMany({ where: { files: { id: fileId } }, select: ['documentId'] })) as { documentId: string }[];
    return [...new Set(rows.map((r) => r.documentId))];
  }

  /** Names of uploads and the titles of the collateral using each, in two queries. */
  async function describeUploads(ids: number[]): Promise<Map<number, { name: string; usedBy: string[] }>> {
    const out = new Map<number, { name: string; usedBy: string[] }>();
    if (!ids.length) return out;
    const uploads = (await strapi.db.query(UPLOAD_FILE_UID).findMany({ where: { id: { $in: ids } }, select: ['id', 'name'] })) as { id: number; name: string }[];
    for (const u of uploads) out.set(u.id, { name: u.name, usedBy: [] });
    const users = (await strapi.db.query(SUBJECTS.collateral.uid).findMany({
      where: { files: { id: { $in: ids } } },
      select: ['documentId', 'title'],
      populate: { files: { select: ['id'], where: { id: { $in: ids } } } },
    })) as { documentId: string; title: string; files?: { id: number }[] }[];
    for (const c of users) for (const f of c.files ?? []) {
      const entry = out.get(f.id);
      if (entry && !entry.usedBy.includes(c.title)) entry.usedBy.push(c.title);
    }
    return out;
  }

  /**
   * Copies (the same sha256) and near-duplicates (MinHash) of the given uploads among every file read.
   * The near-duplicate scan reads every signature (~0.7 KB a file): fine for an admin view of a library
   * of thousands; banded LSH would be the next step for far more.
   */
  async function relatedFiles(fileIds: number[], texts: Map<number, FileText>) {
    const copies = new Map<number, FileTextStatus['copies']>();
    const similar = new Map<number, FileTextStatus['similar']>();
    const own = new Set(fileIds);
    const hashes = [...new Set([...texts.values()].filter((t) => t.status === 'ok').map((t) => t.contentHash))];
    const sameBytes = hashes.length
      ? ((await tableIn(strapi, null, TABLES.fileTexts).whereIn('content_hash', hashes).select('file_id', 'content_hash')) as { file_id: number | string; content_hash: string }[])
      : [];
    const signatures = (await tableIn(strapi, null, TABLES.fileTexts).whereNotNull('minhash').where({ status: 'ok' }).select('file_id', 'content_hash', 'minhash')) as { file_id: number | string; content_hash: string; minhash: string }[];
    const sig = new Map(signatures.map((r) => [Number(r.file_id), { hash: r.content_hash, minhash: parseJson<number[] | null>(r.minhash) }]));
    const found: { of: number; other: number; similarity: number | null }[] = [];
    for (const id of fileIds) {
      const t = texts.get(id);
      if (!t || t.status !== 'ok') continue;
      for (const r of sameBytes) if (r.content_hash === t.contentHash && Number(r.file_id) !== id) found.push({ of: id, other: Number(r.file_id), similarity: null });
      const mine = sig.get(id)?.minhash;
      if (!mine) continue;
      for (const [other, s] of sig) {
        if (other === id || own.has(other) || s.hash === t.contentHash || !s.minhash) continue;
        const similarity = similarityOf(mine, s.minhash);
        if (similarity >= NEAR_DUPLICATE) found.push({ of: id, other, similarity });
      }
    }
    const described = await describeUploads([...new Set(found.map((f) => f.other))]);
    for (const f of found) {
      const d = described.get(f.other);
      if (!d) continue;
      if (f.similarity === null) copies.set(f.of, [...(copies.get(f.of) ?? []), { fileId: f.other, name: d.name, usedBy: d.usedBy }]);
      else similar.set(f.of, [...(similar.get(f.of) ?? []), { fileId: f.other, name: d.name, similarity: Math.round(f.similarity * 100) / 100, usedBy: d.usedBy }]);
    }
    for (const list of similar.values()) list.sort((a, b) => b.similarity - a.similarity);
    return { copies, similar };
  }

  const service = {
    /** The app tells the plugin how to read its stored files (cms/src/files). */
    useReader(read: FileReader): void {
      reader = read;
    },

    /**
     * Queues the reading of uploads whose bytes were written (created or replaced) at `writtenAt`;
     * pictures, films and sound are skipped.
     */
    async queueExtraction(trx: Knex.Transaction | null, files: { id: number; mime: string | null; writtenAt: number }[]): Promise<number> {
      if (!cfg().enabled) return 0;
      const readable = files.filter((f) => f.id && hasReadableText(f.mime));
      if (!readable.length) return 0;
      return getService(strapi, 'outbox').enqueue(trx, readable.map((f) => outboxJob('file.extract', { fileId: Number(f.id), writtenAt: f.writtenAt })));
    },

    /**
     * The outbox handler of `file.extract`: reads the upload's current bytes (a later replacement's
     * job then finds them unchanged). Returns what happened, for tests and logs.
     */
    async handleExtractJob(job: OutboxJob<'file.extract'>): Promise<'read' | 'unchanged' | 'gone'> {
      const { fileId } = job.payload;
      const file = (await strapi.db.query(UPLOAD_FILE_UID).findOne({ where: { id: fileId }, select: FILE_FIELDS })) as UploadedFile | null;
      if (!file) return 'gone';
      if (!reader) throw new Error(`[${PLUGIN_ID}] files: no file reader registered (the app calls files.useReader at boot)`);
      const limits = extractLimitsOf(cfg());
      const before = await service.textOf(fileId);
      let result: Awaited<ReturnType<typeof extractText>>;
      let contentHash: string;
      let bytes: Buffer | null = null;
      // Too large to read at all: refused from the size Strapi recorded (in KB), without fetching it.
      if (file.size != null && file.size * 1024 > limits.maxFileBytes) {
        contentHash = `size:${file.size}:${file.hash}`;
        if (before?.contentHash === contentHash) return 'unchanged';
        result = { status: 'unreadable', reason: 'too_large', message: `text could not be read: the file is larger than ${Math.round(limits.maxFileBytes / 1024 / 1024)} MB`, mime: file.mime, hash: contentHash };
      } else {
        bytes = await reader(file);
        contentHash = createHash('sha256').update(bytes).digest('hex');
        if (before?.contentHash === contentHash) {
          // Read before signatures (migration 4) or pictures (migration 5) existed: add them now.
          if (before.status === 'ok') {
            await tableIn(strapi, null, TABLES.fileTexts).where({ file_id: fileId }).whereNull('minhash').update({ minhash: signatureOf(before.parts) });
            if (!(await service.previewPagesOf([fileId])).has(fileId)) {
              const images = await picture(file, bytes, before.kind as ExtractKind | null);
              if (images.length) await strapi.db.transaction(({ trx }) => storePreviews(trx, fileId, contentHash, images));
            }
          }
          return 'unchanged';
        }
        result = await extractText(bytes, { name: file.name, limits });
      }
      const images = bytes && result.status === 'ok' ? await picture(file, bytes, result.kind) : [];
      const parts = result.status === 'ok' ? result.parts : [];
      const row = {
        file_id: fileId,
        content_hash: contentHash,
        status: result.status,
        kind: result.status === 'ok' ? result.kind : null,
        mime: result.mime,
        reason: result.status === 'ok' ? null : result.reason,
        message: result.status === 'ok' ? null : result.message,
        parts: JSON.stringify(parts),
        truncated: result.status === 'ok' ? result.truncated : false,
        chars: parts.reduce((n, p) => n + p.text.length, 0),
        minhash: signatureOf(parts),
        extracted_at: Date.now(),
      };
      const documentIds = await collateralUsing(fileId);
      await strapi.db.transaction(async ({ trx }) => {
        await tableIn(strapi, trx, TABLES.fileTexts).insert(row).onConflict('file_id').merge();
        await storePreviews(trx, fileId, contentHash, images);
        await getService(strapi, 'outbox').enqueue(trx, documentIds.map((documentId) => outboxJob('search.sync', { documentId, cause: { kind: 'file', fileId, contentHash } })));
      });
      if (result.status === 'unreadable') strapi.log.info(`[${PLUGIN_ID}] files: ${file.name} (#${fileId}): ${result.message}`);
      return 'read';
    },

    /** The upload is being deleted: the collateral that used it, to re-index once it is gone. */
    collateralUsing,

    /**
     * The upload was deleted: its text goes, and the collateral that used it is re-indexed without it
     * (Strapi has removed the relation by then, so the ids come from before the delete).
     */
    async forget(fileId: number, documentIds: string[]): Promise<void> {
      await strapi.db.transaction(async ({ trx }) => {
        await tableIn(strapi, trx, TABLES.fileTexts).where({ file_id: fileId }).delete();
        await tableIn(strapi, trx, TABLES.filePreviews).where({ file_id: fileId }).delete();
        const at = Date.now();
        await getService(strapi, 'outbox').enqueue(trx, documentIds.map((documentId) => outboxJob('search.sync', { documentId, cause: { kind: 'removed', action: 'file', at } })));
      });
    },

    /** How many pictured pages each upload has (uploads without any are left out), in one query. */
    async previewPagesOf(fileIds: number[]): Promise<Map<number, number>> {
      const out = new Map<number, number>();
      if (!fileIds.length) return out;
      const rows = (await tableIn(strapi, null, TABLES.filePreviews).whereIn('file_id', [...new Set(fileIds)]).select('file_id').count({ n: '*' }).groupBy('file_id')) as { file_id: number | string; n: number | string }[];
      for (const r of rows) out.set(Number(r.file_id), Number(r.n));
      return out;
    },

    /** How many pages (PDF) or slides each upload has, from what was read of it; unread ones are absent. */
    async pageCountsOf(fileIds: number[]): Promise<Map<number, number>> {
      const out = new Map<number, number>();
      if (!fileIds.length) return out;
      const rows = (await tableIn(strapi, null, TABLES.fileTexts).whereIn('file_id', [...new Set(fileIds)]).andWhere({ status: 'ok' }).select('file_id', 'parts')) as { file_id: number | string; parts: string }[];
      for (const r of rows) out.set(Number(r.file_id), (parseJson<ExtractedPart[]>(r.parts) ?? []).length);
      return out;
    },

    /** An upload's bytes, through the app's reader (share links stamp and serve them). */
    async readBytes(file: UploadedFile): Promise<Buffer> {
      if (!reader) throw new Error(`[${PLUGIN_ID}] files: no file reader registered (the app calls files.useReader at boot)`);
      return reader(file);
    },

    /** One pictured page of an upload (WebP), or null. */
    async previewOf(fileId: number, page: number): Promise<{ image: Buffer; contentHash: string; width: number; height: number } | null> {
      const row = (await tableIn(strapi, null, TABLES.filePreviews).where({ file_id: fileId, page }).first()) as
        | { image: Buffer | Uint8Array; content_hash: string; width: number | string; height: number | string }
        | undefined;
      return row ? { image: Buffer.from(row.image), contentHash: row.content_hash, width: Number(row.width), height: Number(row.height) } : null;
    },

    /** What was read from one upload, or null when it was not read (yet). */
    async textOf(fileId: number): Promise<FileText | null> {
      const row = (await tableIn(strapi, null, TABLES.fileTexts).where({ file_id: fileId }).first()) as FileTextRow | undefined;
      return row ? fromRow(row) : null;
    },

    /** What was read from each of the uploads, in one query. */
    async textsOf(fileIds: number[]): Promise<Map<number, FileText>> {
      const out = new Map<number, FileText>();
      if (!fileIds.length) return out;
      const rows = (await tableIn(strapi, null, TABLES.fileTexts).whereIn('file_id', [...new Set(fileIds)])) as FileTextRow[];
      for (const r of rows) out.set(Number(r.file_id), fromRow(r));
      return out;
    },

    /**
     * Every group of uploads that are copies or say almost the same thing, across the library, with
     * the collateral (draft or published) using each file: what marketing merges into one item.
     * Groups whose files no collateral uses are left out; the most widely used come first.
     */
    async duplicateGroups(): Promise<DuplicateGroup[]> {
      const rows = (await tableIn(strapi, null, TABLES.fileTexts).where({ status: 'ok' }).select('file_id', 'content_hash', 'minhash')) as { file_id: number | string; content_hash: string; minhash: string | null }[];
      const signed = rows.map((r) => ({ id: Number(r.file_id), hash: r.content_hash, minhash: parseJson<number[] | null>(r.minhash) ?? null }));
      const groups = groupSimilar(signed);
      if (!groups.length) return [];
      const ids = groups.flat();
      const byId = new Map(signed.map((s) => [s.id, s]));
      const uploads = new Map(
        ((await strapi.db.query(UPLOAD_FILE_UID).findMany({ where: { id: { $in: ids } }, select: ['id', 'name', 'createdAt'] })) as { id: number; name: string; createdAt: string | Date | null }[]).map((u) => [u.id, u])
      );
      const users = (await strapi.db.query(SUBJECTS.collateral.uid).findMany({
        where: { files: { id: { $in: ids } } },
        select: ['documentId', 'title', 'standing', 'publishedAt'],
        populate: { files: { select: ['id'], where: { id: { $in: ids } } } },
      })) as { documentId: string; title: string; standing: string | null; publishedAt: string | null; files?: { id: number }[] }[];
      // One entry per item and file: the published row's title and standing win over the draft's.
      const usedBy = new Map<number, Map<string, DuplicateGroup['files'][number]['usedBy'][number]>>();
      for (const c of users) for (const f of c.files ?? []) {
        const items = usedBy.get(f.id) ?? new Map();
        const seen = items.get(c.documentId);
        if (!seen || (!seen.published && c.publishedAt)) items.set(c.documentId, { documentId: c.documentId, title: c.title, standing: c.standing ?? 'confirmed', published: Boolean(c.publishedAt) || Boolean(seen?.published) });
        usedBy.set(f.id, items);
      }
      const time = (v: string | Date | null | undefined) => (v ? new Date(v).getTime() : 0);
      const out: DuplicateGroup[] = [];
      for (const group of groups) {
        const files = group.filter((id) => uploads.has(id)).sort((a, b) => time(uploads.get(b)!.createdAt) - time(uploads.get(a)!.createdAt) || b - a);
        const newest = byId.get(files[0]!)!;
        const described = files.map((id, i) => {
          const s = byId.get(id)!;
          const sameBytes = s.hash === newest.hash;
          const earlier = files.slice(1, i).find((other) => byId.get(other)!.hash === s.hash);
          const at = uploads.get(id)!.createdAt;
          return {
            fileId: id,
            name: uploads.get(id)!.name,
            uploadedAt: at ? new Date(at).toISOString() : null,
            sameBytes,
            similarity: sameBytes ? 1 : s.minhash && newest.minhash ? Math.round(similarityOf(s.minhash, newest.minhash) * 100) / 100 : 0,
            copyOf: sameBytes || earlier === undefined ? null : earlier,
            usedBy: [...(usedBy.get(id)?.values() ?? [])].sort((a, b) => a.title.localeCompare(b.title)),
          };
        });
        const items = new Set(described.flatMap((f) => f.usedBy.map((u) => u.documentId))).size;
        if (items > 0 && described.length > 1) out.push({ files: described, items });
      }
      return out.sort((a, b) => b.items - a.items || b.files.length - a.files.length);
    },

    /**
     * Merges copies into one item: each of `merge` is retracted with `keep` as its replacement (so its
     * reps get an action-required notice naming the item to use, its page becomes a tombstone pointing
     * there and it leaves search), and `keep` records a `merge` version naming what it absorbed. An
     * item already merged into `keep` is left as it is, so a repeated or interrupted merge finishes.
     */
    async merge(keep: string, merge: string[], actor: Actor): Promise<MergeResponse['data']> {
      const docs = strapi.documents(SUBJECTS.collateral.uid);
      const published = (documentId: string) =>
        docs.findOne({ documentId, status: 'published', fields: ['title', 'standing'] as never, populate: { replacedBy: { fields: ['documentId'] }, files: { fields: ['name'] } } as never }) as Promise<{
          title: string;
          standing: string;
          replacedBy?: { documentId: string } | null;
          files?: { name: string }[];
        } | null>;
      const invalid = (path: string, message: string) => new errors.ValidationError(`${path}: ${message}`, { errors: [{ path: [path], message, name: 'ValidationError' }] });
      const ids = [...new Set(merge)];
      if (ids.includes(keep)) throw invalid('merge', 'the item to keep cannot be merged into itself');
      const kept = await published(keep);
      if (!kept) throw new errors.NotFoundError(`No published collateral has the id ${keep}.`);
      if (kept.standing === 'retracted') throw invalid('keep', 'the item to keep is retracted: keep a current one');
      const items: { documentId: string; title: string; files: string[] }[] = [];
      for (const id of ids) {
        const item = await published(id);
        if (!item) throw new errors.NotFoundError(`No published collateral has the id ${id}.`);
        if (item.standing === 'retracted') {
          if (item.replacedBy?.documentId === keep) continue;
          throw invalid('merge', `“${item.title}” is already retracted`);
        }
        items.push({ documentId: id, title: item.title, files: (item.files ?? []).map((f) => f.name) });
      }
      if (!items.length) return { kept: keep, merged: [], version: null };
      const standing = getService(strapi, 'standing');
      for (const item of items) {
        await standing.change(SUBJECTS.collateral.uid, item.documentId, { standing: 'retracted', reason: `Merged into “${kept.title}”: the same material, kept in one place with its history.`, replacement: keep }, actor);
      }
      const absorbed = items.map((i) => `“${i.title}”${i.files.length ? ` (${i.files.join(', ')})` : ''}`).join(', ');
      // The kept item's reps need no notice: nothing they have changed; the merged items' reps were told.
      const version = await strapi.db.transaction(({ trx }) =>
        getService(strapi, 'versions').record(trx, { uid: SUBJECTS.collateral.uid, documentId: keep, cause: 'merge', actor, force: true, note: `Merged in ${absorbed}: retracted, with this item as their replacement.` })
      );
      return { kept: keep, merged: items.map((i) => i.documentId), version: version?.created ? version.number : null };
    },

    /**
     * The admin's view of each upload's text: read, unreadable (and why) or waiting, with the other
     * uploads that are byte-for-byte copies of it and those whose text is almost the same.
     */
    async statusOf(files: Pick<UploadedFile, 'id' | 'name' | 'mime'>[]): Promise<FileTextStatus[]> {
      const texts = await service.textsOf(files.map((f) => f.id));
      const related = await relatedFiles(files.map((f) => f.id), texts);
      return files.map((f) => {
        const t = texts.get(f.id);
        const none = { kind: null, copies: [], similar: [], parts: 0, chars: 0, message: null, truncated: false };
        if (!hasReadableText(f.mime)) return { fileId: f.id, name: f.name, state: 'not_text' as const, ...none };
        if (!t) return { fileId: f.id, name: f.name, state: 'pending' as const, ...none };
        return {
          fileId: f.id,
          name: f.name,
          state: t.status === 'ok' ? ('read' as const) : ('unreadable' as const),
          kind: t.kind,
          parts: t.parts.length,
          chars: t.chars,
          message: t.message,
          truncated: t.truncated,
          copies: related.copies.get(f.id) ?? [],
          similar: related.similar.get(f.id) ?? [],
        };
      });
    },
  };
  return service;
};

export type FilesService = ReturnType<typeof createFilesService>;
