import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Knex } from 'knex';
import {
  isShareable,
  SHARE_DEFAULT_DAYS,
  type BuyerFile,
  type BuyerView,
  type NoticeDraft,
  type Share,
  type ShareActivity,
  type ShareInput,
  type ShareReach,
  type ShareState,
} from '../../shared/contracts';
import { pluginConfig } from '../config';
import { TABLES, tableIn, toMillis } from '../database/tables';
import { FILE_FIELDS, UPLOAD_FILE_UID, type UploadedFile } from '../files';
import type { OutboxJob } from '../outbox';
import { getService } from '../services';
import { APP_UIDS, SUBJECTS } from '../subjects';
import { stampPdf } from './stamp';
import { shareTokens, type ShareTokens } from './tokens';

const COLLATERAL = SUBJECTS.collateral.uid;
const DAY = 86_400_000;

interface ShareRow {
  id: number;
  selector: string;
  collateral_document_id: string;
  user_id: number;
  buyer_name: string;
  buyer_email: string;
  buyer_company: string;
  allow_download: boolean | number;
  created_at: number | string;
  expires_at: number | string;
  revoked_at: number | string | null;
  revoked_by: string | null;
  first_opened_at: number | string | null;
  replaced_by: number | null;
}

/** A published collateral as links need it. */
interface LinkedItem {
  id: number;
  documentId: string;
  title: string;
  summary: string | null;
  slug: string;
  kind: string;
  sharing: string | null;
  standing: string;
  publicNote: string | null;
  files?: UploadedFile[];
  replacedBy?: { documentId: string; title: string; kind: string; sharing: string | null; standing: string } | null;
}

/** The rep, or marketing in the admin. */
export type ShareActor = { kind: 'rep'; userId: number } | { kind: 'admin'; name: string };

/** Why a buyer's request for a file is refused: the controller turns these into 4xx answers. */
export class ShareGoneError extends errors.ApplicationError {}

const iso = (v: number | string | null | undefined) => (v == null ? null : new Date(toMillis(v)).toISOString());
const fileKind = (mime: string | null | undefined): BuyerFile['kind'] => (mime === 'application/pdf' ? 'pdf' : mime?.startsWith('image/') ? 'image' : 'other');

/**
 * Share links to buyers. A link is a row (cn_shares) and a token (tokens.ts); what it serves is decided
 * on every request from the item's standing, so a retraction stops every link at once: confirmed serves
 * the current published version; scaled back only the newest version marketing marked customer-safe,
 * else marketing's note; retracted nothing but a customer-safe page. Every open, page and download is
 * logged (cn_share_views) for the rep, who hears of the first open and of a retraction's reach.
 */
export const createSharesService = ({ strapi }: { strapi: Core.Strapi }) => {
  const t = (table: string, trx?: Knex.Transaction | null) => tableIn(strapi, trx, table);
  let tokens: ShareTokens | null = null;
  const tok = () => {
    if (!tokens) {
      const keys = strapi.config.get('server.app.keys');
      tokens = shareTokens((Array.isArray(keys) ? keys : []).join(','));
    }
    return tokens;
  };
  const portal = () => pluginConfig(strapi).portalUrl;
  const urlOf = (selector: string) => `${portal()}/s/${tok().tokenOf(selector)}`;

  const loadItems = async (documentIds: string[], withFiles = false): Promise<Map<string, LinkedItem>> => {
    if (!documentIds.length) return new Map();
    const items = (await strapi.documents(COLLATERAL).findMany({
      status: 'published',
      filters: { documentId: { $in: [...new Set(documentIds)] } },
      fields: ['title', 'summary', 'slug', 'kind', 'sharing', 'standing', 'publicNote'],
      populate: {
        replacedBy: { fields: ['title', 'kind', 'sharing', 'standing'] },
        ...(withFiles ? { files: { fields: FILE_FIELDS.filter((f) => f !== 'id') } } : {}),
      },
      limit: documentIds.length,
    } as never)) as unknown as LinkedItem[];
    return new Map(items.map((i) => [i.documentId, i]));
  };

  const stateOf = (row: ShareRow, item: LinkedItem | undefined, now = Date.now()): ShareState => {
    if (row.revoked_at != null) return 'revoked';
    if (row.replaced_by != null) return 'replaced';
    if (!item || item.standing === 'retracted') return 'withdrawn';
    if (toMillis(row.expires_at) <= now) return 'expired';
    return 'active';
  };

  /** The files a link serves now, or null when it serves none (scaled back without a customer-safe version). */
  const servedFiles = async (item: LinkedItem): Promise<{ files: UploadedFile[]; title: string; summary: string | null } | null> => {
    if (item.standing === 'confirmed') return { files: item.files ?? [], title: item.title, summary: item.summary };
    if (item.standing !== 'scaled_back') return null;
    const safe = await getService(strapi, 'versions').latestCustomerSafe(item.documentId);
    if (!safe) return null;
    const ids = ((safe.snapshot.files as { ref: string }[] | undefined) ?? []).map((f) => Number(f.ref)).filter(Number.isInteger);
    const rows = ids.length ? ((await strapi.db.query(UPLOAD_FILE_UID).findMany({ where: { id: { $in: ids } }, select: FILE_FIELDS })) as UploadedFile[]) : [];
    return { files: ids.map((id) => rows.find((r) => r.id === id)).filter((r): r is UploadedFile => Boolean(r)), title: String(safe.snapshot.title ?? item.title), summary: safe.snapshot.summary == null ? null : String(safe.snapshot.summary) };
  };

  const buyerFiles = async (files: UploadedFile[]): Promise<BuyerFile[]> => {
    const ids = files.map((f) => f.id);
    const files_ = getService(strapi, 'files');
    const [pictured, pages] = await Promise.all([files_.previewPagesOf(ids), files_.pageCountsOf(ids)]);
    return files.map((f) => ({
      id: f.id,
      name: f.name,
      mime: f.mime ?? 'application/octet-stream',
      size: Number(f.size ?? 0),
      kind: fileKind(f.mime),
      pictured: fileKind(f.mime) === 'pdf' ? (pictured.get(f.id) ?? 0) : 0,
      pages: fileKind(f.mime) === 'image' ? 1 : (pages.get(f.id) ?? null),
    }));
  };

  /**
   * Pages a buyer can read in the browser: pictured PDF pages and images, one each. Counted from the
   * picture rows alone: the rep's list needs no page counts, which parse each file's stored text.
   */
  const readablePages = async (files: UploadedFile[]) => {
    const pictured = await getService(strapi, 'files').previewPagesOf(files.map((f) => f.id));
    return files.reduce((n, f) => n + (fileKind(f.mime) === 'pdf' ? (pictured.get(f.id) ?? 0) : fileKind(f.mime) === 'image' ? 1 : 0), 0);
  };

  const activityOf = async (ids: number[]): Promise<Map<number, Omit<ShareActivity, 'pagesTotal'>>> => {
    const out = new Map<number, Omit<ShareActivity, 'pagesTotal'>>();
    if (!ids.length) return out;
    const opens = (await t(TABLES.shareViews).whereIn('share_id', ids).andWhere({ kind: 'open' }).select('share_id').count({ n: '*' }).min({ first: 'created_at' }).max({ last: 'created_at' }).groupBy('share_id')) as { share_id: number; n: number | string; first: number | string; last: number | string }[];
    const pages = (await t(TABLES.shareViews).whereIn('share_id', ids).andWhere({ kind: 'page' }).distinct('share_id', 'file_id', 'page')) as { share_id: number }[];
    const downloads = (await t(TABLES.shareViews).whereIn('share_id', ids).andWhere({ kind: 'download' }).select('share_id').count({ n: '*' }).groupBy('share_id')) as { share_id: number; n: number | string }[];
    for (const id of ids) out.set(id, { opens: 0, firstOpenedAt: null, lastOpenedAt: null, pagesViewed: 0, downloads: 0 });
    for (const o of opens) Object.assign(out.get(Number(o.share_id))!, { opens: Number(o.n), firstOpenedAt: iso(o.first), lastOpenedAt: iso(o.last) });
    for (const p of pages) out.get(Number(p.share_id))!.pagesViewed += 1;
    for (const d of downloads) out.get(Number(d.share_id))!.downloads = Number(d.n);
    return out;
  };

  const toShares = async (rows: ShareRow[]): Promise<Share[]> => {
    if (!rows.length) return [];
    const items = await loadItems(rows.map((r) => r.collateral_document_id), true);
    const users = (await strapi.db.query(APP_UIDS.user).findMany({ where: { id: { $in: [...new Set(rows.map((r) => Number(r.user_id)))] } }, select: ['id', 'username'] })) as { id: number; username: string }[];
    const activity = await activityOf(rows.map((r) => Number(r.id)));
    const totals = new Map<string, number>();
    for (const item of items.values()) {
      const served = await servedFiles(item);
      totals.set(item.documentId, served ? await readablePages(served.files) : 0);
    }
    return rows.map((r) => {
      const item = items.get(r.collateral_document_id);
      const repl = item?.standing === 'retracted' ? item.replacedBy : null;
      return {
        id: Number(r.id),
        url: urlOf(r.selector),
        state: stateOf(r, item),
        buyer: { name: r.buyer_name, email: r.buyer_email, company: r.buyer_company },
        item: { documentId: r.collateral_document_id, title: item?.title ?? '(no longer published)', slug: item?.slug ?? null, standing: item?.standing ?? null },
        allowDownload: Boolean(r.allow_download),
        createdAt: iso(r.created_at)!,
        expiresAt: iso(r.expires_at)!,
        revokedAt: iso(r.revoked_at),
        replacement: repl ? { documentId: repl.documentId, title: repl.title, shareable: repl.standing !== 'retracted' && isShareable(repl) } : null,
        replacedBy: r.replaced_by == null ? null : Number(r.replaced_by),
        sharedBy: { id: Number(r.user_id), name: users.find((u) => u.id === Number(r.user_id))?.username ?? 'a rep' },
        activity: { ...activity.get(Number(r.id))!, pagesTotal: totals.get(r.collateral_document_id) ?? 0 },
      };
    });
  };

  const rowBySelector = async (selector: string): Promise<ShareRow | undefined> => t(TABLES.shares).where({ selector }).first();

  const insertShare = async (trx: Knex.Transaction | null, userId: number, input: Omit<ShareInput, 'collateral'> & { collateral: string }): Promise<number> => {
    const now = Date.now();
    const { selector } = tok().mint();
    const [row] = await t(TABLES.shares, trx)
      .insert({
        selector,
        collateral_document_id: input.collateral,
        user_id: userId,
        buyer_name: input.buyerName,
        buyer_email: input.buyerEmail.toLowerCase(),
        buyer_company: input.buyerCompany,
        allow_download: input.allowDownload,
        created_at: now,
        expires_at: now + input.expiresInDays * DAY,
      })
      .returning('id');
    return Number(typeof row === 'object' ? (row as { id: number }).id : row);
  };

  const shareableItem = async (documentId: string): Promise<LinkedItem> => {
    const item = (await loadItems([documentId])).get(documentId);
    if (!item) throw new errors.NotFoundError('No published collateral has this id.');
    if (item.standing === 'retracted') throw new errors.ValidationError('This item is retracted: it cannot be shared.');
    if (!isShareable(item)) throw new errors.ForbiddenError('Marketing keeps this item internal: it cannot be shared with buyers.');
    return item;
  };

  /** A link the buyer may use now, with its item, or the reason it serves nothing. */
  const resolve = async (token: string) => {
    const selector = tok().verify(token);
    const row = selector ? await rowBySelector(selector) : undefined;
    // Forged, truncated and unknown tokens get one and the same answer.
    if (!row) throw new errors.NotFoundError('This link does not exist. Check that it was copied whole.');
    const item = (await loadItems([row.collateral_document_id], true)).get(row.collateral_document_id);
    return { row, item, state: stateOf(row, item) };
  };

  const logView = (shareId: number, kind: 'open' | 'page' | 'download', fileId: number | null = null, page: number | null = null) =>
    t(TABLES.shareViews).insert({ share_id: shareId, kind, file_id: fileId, page, created_at: Date.now() });

  /** The rep hears once when a buyer first opens the link (by their cadence: it is informational). */
  const firstOpen = async (row: ShareRow, item: LinkedItem | undefined) => {
    await strapi.db.transaction(async ({ trx }) => {
      const claimed = await t(TABLES.shares, trx).where({ id: row.id }).whereNull('first_opened_at').update({ first_opened_at: Date.now() });
      if (!claimed) return;
      const title = item?.title ?? 'your shared item';
      const draft: NoticeDraft = {
        key: `share-opened:${row.id}`,
        urgency: 'fyi',
        uid: COLLATERAL,
        documentId: row.collateral_document_id,
        version: null,
        headline: `${row.buyer_name} (${row.buyer_company}) opened “${title}”`,
        whatChanged: `${row.buyer_name} opened the link you sent to ${row.buyer_email}.`,
        why: null,
        whatToDo: 'See what they read on your shares page, and follow up while it is fresh.',
        link: `${portal()}/shares`,
        details: [],
        actor: 'Candor',
      };
      await getService(strapi, 'notices').queueDirect(trx, draft, [Number(row.user_id)]);
    });
    getService(strapi, 'dispatcher').kick();
  };

  const served = async (token: string, fileId: number) => {
    const { row, item, state } = await resolve(token);
    if (state !== 'active' || !item) throw new ShareGoneError(state === 'expired' ? 'This link has expired.' : 'This material is no longer available through this link.');
    const now = await servedFiles(item);
    if (!now) throw new ShareGoneError('This material is being updated and is not available through this link right now.');
    const file = now.files.find((f) => f.id === fileId);
    if (!file) throw new errors.NotFoundError('This link has no such file.');
    return { row, item, file };
  };

  return {
    urlOf,

    async create(userId: number, input: ShareInput): Promise<Share> {
      await shareableItem(input.collateral);
      const id = await insertShare(null, userId, input);
      return (await toShares(await t(TABLES.shares).where({ id })))[0]!;
    },

    /** A rep's links (newest first), or an item's links for marketing. */
    async list(filter: { userId?: number; collateral?: string }): Promise<Share[]> {
      const q = t(TABLES.shares).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(500);
      if (filter.userId != null) q.where({ user_id: filter.userId });
      if (filter.collateral) q.where({ collateral_document_id: filter.collateral });
      return toShares(await q);
    },

    async revoke(shareId: number, actor: ShareActor): Promise<Share> {
      const row: ShareRow | undefined = await t(TABLES.shares).where({ id: shareId }).first();
      if (!row || (actor.kind === 'rep' && Number(row.user_id) !== actor.userId)) throw new errors.NotFoundError(`You have no share link ${shareId}.`);
      if (row.revoked_at == null) {
        await t(TABLES.shares).where({ id: shareId }).whereNull('revoked_at').update({ revoked_at: Date.now(), revoked_by: actor.kind === 'rep' ? 'rep' : `marketing: ${actor.name}`.slice(0, 160) });
      }
      return (await toShares(await t(TABLES.shares).where({ id: shareId })))[0]!;
    },

    /**
     * The one click after a retraction: a new link for the same buyer to the item's replacement. A
     * second click returns the link the first one made.
     */
    async sendReplacement(userId: number, shareId: number): Promise<Share> {
      const row: ShareRow | undefined = await t(TABLES.shares).where({ id: shareId, user_id: userId }).first();
      if (!row) throw new errors.NotFoundError(`You have no share link ${shareId}.`);
      if (row.replaced_by != null) return (await toShares(await t(TABLES.shares).where({ id: row.replaced_by })))[0]!;
      const item = (await loadItems([row.collateral_document_id])).get(row.collateral_document_id);
      const replacement = item?.standing === 'retracted' ? item.replacedBy : null;
      if (!replacement) throw new errors.ValidationError('This item was not retracted with a replacement: there is nothing to send instead.');
      await shareableItem(replacement.documentId);
      const newId = await strapi.db.transaction(async ({ trx }) => {
        const id = await insertShare(trx, userId, {
          collateral: replacement.documentId,
          buyerName: row.buyer_name,
          buyerEmail: row.buyer_email,
          buyerCompany: row.buyer_company,
          allowDownload: Boolean(row.allow_download),
          expiresInDays: SHARE_DEFAULT_DAYS,
        });
        const claimed = await t(TABLES.shares, trx).where({ id: shareId }).whereNull('replaced_by').update({ replaced_by: id });
        // A concurrent click won: keep its link, drop ours.
        if (!claimed) throw new errors.ApplicationError('replaced concurrently');
        return id;
      }).catch(async (err: unknown) => {
        const again: ShareRow | undefined = await t(TABLES.shares).where({ id: shareId }).first();
        if (again?.replaced_by != null) return Number(again.replaced_by);
        throw err;
      });
      return (await toShares(await t(TABLES.shares).where({ id: newId })))[0]!;
    },

    /** The buyer's page. `open`: count this as an open (the page itself, not its pictures). */
    async buyerView(token: string, opts: { open?: boolean } = {}): Promise<BuyerView> {
      const { row, item, state } = await resolve(token);
      const sharer = (await strapi.db.query(APP_UIDS.user).findOne({ where: { id: row.user_id }, select: ['username', 'email'] })) as { username: string; email: string } | null;
      if (opts.open) {
        await logView(Number(row.id), 'open');
        if (row.first_opened_at == null) await firstOpen(row, item);
      }
      const base = {
        buyer: { name: row.buyer_name, company: row.buyer_company },
        sharedBy: { name: sharer?.username ?? 'Your contact', email: sharer?.email ?? '' },
        allowDownload: Boolean(row.allow_download),
        expiresAt: iso(row.expires_at)!,
        files: [] as BuyerFile[],
        replacement: null as { title: string } | null,
      };
      if (state === 'active' && item) {
        const now = await servedFiles(item);
        if (now) return { ...base, state: 'live', title: now.title, summary: now.summary, note: null, files: await buyerFiles(now.files) };
        return { ...base, state: 'note', title: item.title, summary: null, note: item.publicNote ?? 'This material is being updated. Your contact will send you the current version.' };
      }
      if (state === 'expired') return { ...base, state: 'expired', title: item?.title ?? 'Shared material', summary: null, note: 'This link has expired. Ask your contact for a new one.' };
      if (state === 'revoked') return { ...base, state: 'revoked', title: 'Shared material', summary: null, note: 'The sender has withdrawn this link.' };
      const repl = item?.replacedBy && item.replacedBy.standing !== 'retracted' && isShareable(item.replacedBy) ? { title: item.replacedBy.title } : null;
      return {
        ...base,
        state: 'withdrawn',
        title: item?.title ?? 'Shared material',
        summary: null,
        note: item?.publicNote ?? 'This material has been withdrawn and should no longer be relied on.',
        replacement: repl,
      };
    },

    /** A pictured PDF page of a served file (WebP), logged as read. */
    async buyerPage(token: string, fileId: number, page: number) {
      const { row, file } = await served(token, fileId);
      if (fileKind(file.mime) !== 'pdf') throw new errors.NotFoundError('This file has no pages to show.');
      const preview = await getService(strapi, 'files').previewOf(file.id, page);
      if (!preview) throw new errors.NotFoundError(`Page ${page} cannot be shown here.`);
      await logView(Number(row.id), 'page', file.id, page);
      return preview;
    },

    /**
     * A served file's bytes. Images are shown on the page (logged as a page read); anything else only
     * when the rep allowed downloads, PDFs stamped with the recipient on every page (an unstampable PDF
     * is refused rather than handed out unmarked).
     */
    async buyerFile(token: string, fileId: number): Promise<{ bytes: Uint8Array; mime: string; filename: string; inline: boolean }> {
      const { row, file } = await served(token, fileId);
      const kind = fileKind(file.mime);
      if (kind !== 'image' && !row.allow_download) throw new errors.ForbiddenError('The sender shared this to view only.');
      // The stored row itself: a populated file's url is the app's signed, checked address, not the object's.
      const stored = (await strapi.db.query(UPLOAD_FILE_UID).findOne({ where: { id: file.id }, select: FILE_FIELDS })) as UploadedFile | null;
      if (!stored) throw new errors.NotFoundError('This link has no such file.');
      const bytes = await getService(strapi, 'files').readBytes(stored);
      if (kind === 'image') {
        await logView(Number(row.id), 'page', file.id, 1);
        return { bytes, mime: file.mime ?? 'application/octet-stream', filename: file.name, inline: true };
      }
      let out: Uint8Array = bytes;
      if (kind === 'pdf') {
        try {
          out = await stampPdf(bytes, { name: row.buyer_name, email: row.buyer_email, company: row.buyer_company });
        } catch (err) {
          strapi.log.warn(`[change-notices] shares: ${file.name} could not be stamped for share ${row.id}: ${(err as Error).message}`);
          throw new errors.ApplicationError('This PDF cannot be prepared for download. Ask the sender for a copy.');
        }
      }
      await logView(Number(row.id), 'download', file.id);
      return { bytes: out, mime: kind === 'pdf' ? 'application/pdf' : 'application/octet-stream', filename: file.name, inline: false };
    },

    /** Outbox handler of `shares.retracted`: each rep who shared the item hears which buyers have it. */
    async handleRetractedJob(job: OutboxJob<'shares.retracted'>) {
      const { documentId, version } = job.payload;
      const rows: ShareRow[] = await t(TABLES.shares).where({ collateral_document_id: documentId }).whereNull('revoked_at').whereNull('replaced_by');
      if (!rows.length) return;
      const item = (await loadItems([documentId])).get(documentId);
      const v = await getService(strapi, 'versions').get(COLLATERAL, documentId, version);
      const title = item?.title ?? v?.title ?? 'an item you shared';
      const repl = item?.replacedBy && item.replacedBy.standing !== 'retracted' && isShareable(item.replacedBy) ? item.replacedBy : null;
      const byRep = new Map<number, ShareRow[]>();
      for (const r of rows) byRep.set(Number(r.user_id), [...(byRep.get(Number(r.user_id)) ?? []), r]);
      const notices = getService(strapi, 'notices');
      for (const [userId, links] of byRep) {
        const buyers = links.map((l) => `${l.buyer_name} (${l.buyer_company})`);
        const draft: NoticeDraft = {
          key: `share-retracted:${documentId}:v${version}:u${userId}`,
          urgency: 'action_required',
          uid: COLLATERAL,
          documentId,
          version,
          headline: `Retracted: “${title}”. ${links.length === 1 ? 'A buyer you sent it to has' : `${links.length} buyers you sent it to have`} a link`,
          whatChanged: `You shared it with ${buyers.join(', ')}. Their links now show a withdrawal note instead of the material.`,
          why: v?.standingReason ?? null,
          whatToDo: repl ? `Send them “${repl.title}” instead: one click per buyer on your shares page.` : 'Tell them it no longer holds, and what is true now.',
          link: `${portal()}/shares?item=${encodeURIComponent(documentId)}`,
          details: links.map((l) => `${l.buyer_name} (${l.buyer_company}) <${l.buyer_email}>${l.first_opened_at != null ? ', opened it' : ', not opened yet'}`),
          actor: v?.author.name ?? 'Marketing',
        };
        await notices.queueDirect(null, draft, [userId]);
      }
      getService(strapi, 'dispatcher').kick();
    },

    /** How far an item's links reach: for marketing on the item and on its retraction's notice. */
    async reach(documentId: string): Promise<ShareReach> {
      const rows: ShareRow[] = await t(TABLES.shares).where({ collateral_document_id: documentId }).whereNull('revoked_at');
      return {
        links: rows.length,
        buyers: new Set(rows.map((r) => r.buyer_email.toLowerCase())).size,
        reps: new Set(rows.map((r) => Number(r.user_id))).size,
        opened: rows.filter((r) => r.first_opened_at != null).length,
      };
    },
  };
};

export type SharesService = ReturnType<typeof createSharesService>;
