/**
 * Carries out a plan through Strapi's own services: uploads through the upload plugin, drafts
 * through the document service, each file a version through the plugin's versions service (cause
 * `import`, dated when it was last modified), every step remembered in the plugin's import ledger in
 * the same transaction. So a re-run creates nothing, and an interrupted run resumes where it
 * stopped: the one step outside a transaction, an upload, is noted before it starts and adopted after
 * a crash. Items are drafts unless `publish`, which publishes through the same hook the admin uses.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { changeNotices } from '@candor/change-notices/server';
import type { Taxonomy, Taxonomies } from './mapping';
import { cleanName, slugOf, splitExtension } from './names';
import type { Plan, PlannedItem, PlannedVersion } from './plan';

const COLLATERAL = 'api::collateral.collateral';
const UPLOAD = 'plugin::upload.file';
const TAXONOMY_UIDS: Record<Taxonomy, 'api::product.product' | 'api::region.region' | 'api::persona.persona'> = {
  products: 'api::product.product',
  regions: 'api::region.region',
  personas: 'api::persona.persona',
};

const MIMES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.ppt': 'application/vnd.ms-powerpoint',
  '.doc': 'application/msword',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.md': 'text/plain',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
};

/** Thrown when a run was asked to stop (an AbortSignal, or `stopAfter` steps in tests). */
export class ImportInterrupted extends Error {
  constructor(
    readonly steps: number,
    /** What was done before the stop. */
    readonly result?: ApplyResult,
  ) {
    super(`import interrupted after ${steps} step(s); run it again to resume`);
    this.name = 'ImportInterrupted';
  }
}

export type ItemOutcome = 'created' | 'updated' | 'unchanged' | 'failed';

export interface ApplyResult {
  items: { itemKey: string; title: string; documentId: string | null; outcome: ItemOutcome; published: boolean }[];
  created: { items: number; versions: number; copies: number; uploads: number };
  alreadyImported: { versions: number; copies: number };
  published: number;
  failures: { path: string; problem: string }[];
}

export interface ApplyOptions {
  publish: boolean;
  /** Where the source came from, for the version notes ("…from library.zip"). */
  sourceLabel: string;
  readBytes(sourcePath: string): Promise<Buffer>;
  signal?: AbortSignal;
  /** Stop after this many versions written (tests of resuming). */
  stopAfter?: number;
  onVersion?: (done: number, total: number) => void;
}

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * SQLite lets one process write at a time: while `npm start`'s worker writes (it reads the files
 * this import uploads), a transaction that read first can fail with SQLITE_BUSY instead of waiting.
 * The step rolled back, so doing it again is safe.
 */
async function retryBusy<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      const code = String((err as { code?: unknown }).code ?? '');
      if (!code.startsWith('SQLITE_BUSY') || attempt >= 8) throw err;
      await new Promise((r) => setTimeout(r, 50 * 2 ** attempt + Math.random() * 50));
    }
  }
}

export async function applyPlan(strapi: Core.Strapi, plan: Plan, opts: ApplyOptions): Promise<ApplyResult> {
  const { imports: ledger, versions } = changeNotices(strapi);
  const docs = strapi.documents(COLLATERAL);
  const result: ApplyResult = { items: [], created: { items: 0, versions: 0, copies: 0, uploads: 0 }, alreadyImported: { versions: 0, copies: 0 }, published: 0, failures: [] };
  const ids = await taxonomyIds(strapi);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-import-'));
  const total = plan.items.reduce((n, it) => n + it.versions.length, 0);
  let done = 0;
  let written = 0;
  const step = () => {
    opts.onVersion?.(++done, total);
  };
  const checkStop = () => {
    opts.signal?.throwIfAborted();
    if (opts.stopAfter !== undefined && written >= opts.stopAfter) throw new ImportInterrupted(written);
  };

  /** The upload holding these bytes: one from an earlier (or interrupted) run, else a new one. */
  async function uploadFor(v: PlannedVersion, title: string): Promise<number> {
    const rows = await ledger.filesWithContent(v.hash);
    for (const r of rows) {
      if (r.uploadId != null && (await strapi.db.query(UPLOAD).findOne({ where: { id: r.uploadId }, select: ['id'] }))) return r.uploadId;
    }
    const primary = v.files[0]!;
    const interrupted = rows.find((r) => r.outcome === 'uploading' && r.uploadId == null);
    if (interrupted) {
      // Crashed between the upload and its note: the upload row exists, named as we name it.
      const candidates = (await strapi.db.query(UPLOAD).findMany({ where: { name: primary.name, createdAt: { $gte: new Date(interrupted.startedAt - 1000) } }, select: ['id'], orderBy: { id: 'asc' } })) as { id: number }[];
      const owned = await ledger.knownUploadIds(candidates.map((c) => c.id));
      const orphan = candidates.find((c) => !owned.has(c.id));
      if (orphan) {
        await ledger.finishUpload(interrupted.sourceKey, orphan.id);
        return orphan.id;
      }
    }
    await ledger.beginUpload({ sourceKey: primary.sourceKey, sourcePath: primary.path, contentHash: v.hash });
    const bytes = await opts.readBytes(primary.path);
    if (createHash('sha256').update(bytes).digest('hex') !== v.hash) throw new Error('the file changed while the import ran');
    const { ext } = splitExtension(primary.name);
    // A name of our own in our own temp dir: the library's names never become paths on this machine.
    const filepath = path.join(tmp, `${v.hash}${/^\.[a-z0-9]{1,8}$/.test(ext) ? ext : ''}`);
    fs.writeFileSync(filepath, bytes);
    try {
      const [file] = (await retryBusy(() =>
        strapi
          .plugin('upload')
          .service('upload')
          .upload({ data: { fileInfo: { name: primary.name, alternativeText: title } }, files: { filepath, originalFilename: primary.name, mimetype: MIMES[ext] ?? 'application/octet-stream', size: bytes.length } })
      )) as { id: number }[];
      await ledger.finishUpload(primary.sourceKey, file!.id);
      result.created.uploads++;
      return file!.id;
    } finally {
      fs.rmSync(filepath, { force: true });
    }
  }

  async function uniqueSlug(title: string): Promise<string> {
    const base = slugOf(title);
    for (let n = 1; ; n++) {
      const slug = n === 1 ? base : `${base}-${n}`;
      if (!(await strapi.db.query(COLLATERAL).findOne({ where: { slug }, select: ['id'] }))) return slug;
    }
  }

  async function applyItem(item: PlannedItem): Promise<void> {
    const known = await ledger.filesByKey(item.versions.flatMap((v) => v.files.map((f) => f.sourceKey)));
    const recorded = [...known.values()].filter((r) => r.outcome !== 'uploading');
    // The item these files went into before, whatever key this run's plan would give it.
    const itemKey = recorded.find((r) => r.itemKey)?.itemKey ?? item.itemKey;
    const existing = await ledger.item(itemKey);
    let documentId = existing?.documentId ?? null;
    const entry: ApplyResult['items'][number] = { itemKey, title: item.title, documentId, outcome: 'unchanged', published: false };
    result.items.push(entry);
    if (documentId && !(await docs.findOne({ documentId, fields: ['documentId'] as never }))) {
      result.failures.push({ path: item.versions.at(-1)!.files[0]!.path, problem: `“${item.title}” was imported before and has since been deleted in Candor: not imported again` });
      item.versions.forEach(step);
      return;
    }
    const history = documentId ? await versions.list(COLLATERAL, documentId) : [];
    const lastImportedAt = Math.max(0, ...history.filter((h) => h.cause === 'import').map((h) => Date.parse(h.createdAt)));
    for (const v of item.versions) {
      const fresh = v.files.filter((f) => !recorded.some((r) => r.sourceKey === f.sourceKey));
      if (!fresh.length) {
        result.alreadyImported.versions++;
        result.alreadyImported.copies += v.files.length - 1;
        step();
        continue;
      }
      checkStop();
      const sameBytes = recorded.find((r) => r.contentHash === v.hash && r.versionNumber != null && r.itemKey === itemKey);
      if (sameBytes) {
        // New paths of bytes already imported as a version: copies, no new version.
        await retryBusy(() => strapi.db.transaction(({ trx }) =>
          ledger.recordFiles(trx, fresh.map((f) => ({ sourceKey: f.sourceKey, sourcePath: f.path, contentHash: v.hash, uploadId: sameBytes.uploadId!, itemKey, versionNumber: sameBytes.versionNumber!, outcome: 'copy' as const })))
        ));
        result.created.copies += fresh.length;
        step();
        continue;
      }
      if (documentId && v.modified < lastImportedAt) {
        result.failures.push({ path: v.files[0]!.path, problem: `older (${dateOf(v.modified)}) than the history already imported for “${item.title}”: not added as a version` });
        step();
        continue;
      }
      let uploadId: number;
      try {
        uploadId = await uploadFor(v, item.title);
      } catch (err) {
        result.failures.push({ path: v.files[0]!.path, problem: `upload failed: ${(err as Error).message}` });
        entry.outcome = entry.outcome === 'unchanged' ? 'failed' : entry.outcome;
        step();
        continue;
      }
      const by = v.modifiedBy ? cleanName(v.modifiedBy) : null;
      const others = v.files.length - 1;
      const note = `Imported “${v.files[0]!.name}” from ${opts.sourceLabel}, last modified ${dateOf(v.modified)}${by ? ` by ${by}` : ''}${others ? `; the same file was also at ${others} other path${others === 1 ? '' : 's'}` : ''}.`;
      const before = documentId;
      let madeItem = false;
      await retryBusy(() => strapi.db.transaction(async ({ trx }) => {
        documentId = before;
        madeItem = false;
        if (!documentId) {
          const doc = await docs.create({
            data: {
              title: item.title,
              slug: await uniqueSlug(item.title),
              kind: item.kind,
              summary: item.summary,
              files: [uploadId],
              products: item.tags.products.map((n) => ids.products.get(n)).filter(Boolean),
              regions: item.tags.regions.map((n) => ids.regions.get(n)).filter(Boolean),
              personas: item.tags.personas.map((n) => ids.personas.get(n)).filter(Boolean),
              standing: 'confirmed',
              ...(item.ownerEmail ? { ownerEmail: item.ownerEmail } : {}),
            } as never,
          });
          documentId = doc.documentId;
          await ledger.recordItem(trx, { itemKey, documentId, title: item.title });
          madeItem = true;
        } else {
          // Only the files: whatever marketing edited on the draft since stays.
          await docs.update({ documentId, data: { files: [uploadId] } as never });
        }
        const version = await versions.record(trx, {
          uid: COLLATERAL,
          documentId,
          cause: 'import',
          draft: true,
          force: true,
          at: v.modified,
          note,
          actor: { kind: 'system', id: null, name: (by ? `${by} (imported)` : 'Import').slice(0, 255) },
        });
        if (!version) throw new Error(`the draft of “${item.title}” vanished while importing`);
        await ledger.recordFiles(
          trx,
          v.files.map((f) => ({ sourceKey: f.sourceKey, sourcePath: f.path, contentHash: v.hash, uploadId, itemKey, versionNumber: version.number, outcome: f === v.files[0] ? ('version' as const) : ('copy' as const) }))
        );
      }));
      if (madeItem) {
        result.created.items++;
        entry.outcome = 'created';
      } else if (entry.outcome === 'unchanged') entry.outcome = 'updated';
      entry.documentId = documentId;
      result.created.versions++;
      result.created.copies += fresh.length - 1;
      written++;
      step();
    }
    if (opts.publish && documentId) {
      const published = await docs.findOne({ documentId, status: 'published', fields: ['documentId'] as never });
      if (!published || entry.outcome === 'updated' || entry.outcome === 'created') {
        checkStop();
        await retryBusy(() => docs.publish({ documentId: documentId! }));
        result.published++;
      }
      entry.published = true;
    }
    entry.documentId = documentId;
  }

  try {
    for (const item of plan.items) await applyItem(item);
  } catch (err) {
    if (err instanceof ImportInterrupted || (err as Error).name === 'AbortError') throw new ImportInterrupted(written, result);
    throw err;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return result;
}

/** Candor's products, regions and personas: their names (for the plan) and ids (for relations). */
export async function loadTaxonomies(strapi: Core.Strapi): Promise<Taxonomies> {
  const ids = await taxonomyIds(strapi);
  return { products: [...ids.products.keys()], regions: [...ids.regions.keys()], personas: [...ids.personas.keys()] };
}

async function taxonomyIds(strapi: Core.Strapi): Promise<Record<Taxonomy, Map<string, string>>> {
  const out = {} as Record<Taxonomy, Map<string, string>>;
  for (const [t, uid] of Object.entries(TAXONOMY_UIDS) as [Taxonomy, (typeof TAXONOMY_UIDS)[Taxonomy]][]) {
    const rows = (await strapi.documents(uid).findMany({ fields: ['name'] as never, limit: 100_000 } as never)) as unknown as { documentId: string; name: string }[];
    out[t] = new Map(rows.map((r) => [r.name, r.documentId]));
  }
  return out;
}
