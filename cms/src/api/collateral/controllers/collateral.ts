import { changeNotices } from '@candor/change-notices/server';
import { factories } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { collateralGoneResponseSchema, collateralResponseSchema, shapeResponse, type collateralSchema } from '@candor/change-notices/contracts';
import type { z } from 'zod';
import { fileAccess } from '../../../files/access';
import { sendStoredObject } from '../../../files/serve';
import { isUploadName } from '../../../files/signing';

const UID = 'api::collateral.collateral';

/** Everything a rep's collateral page shows, in one read. */
export const COLLATERAL_POPULATE = {
  products: { fields: ['name', 'slug'] },
  regions: { fields: ['name', 'slug'] },
  personas: { fields: ['name', 'slug'] },
  claims: { fields: ['statement', 'slug', 'standing', 'standingReason', 'nowTrue', 'standingChangedAt'] },
  // 'provider' lets Strapi sign the URLs (src/files); the response contract leaves it out.
  // hash and ext: the upload's own name, which the checked route's URL carries (src/files/install.ts).
  files: { fields: ['name', 'hash', 'ext', 'url', 'mime', 'size', 'width', 'height', 'formats', 'alternativeText', 'provider'] },
  cover: { fields: ['name', 'hash', 'ext', 'url', 'width', 'height', 'formats', 'alternativeText', 'provider'] },
  replacedBy: { fields: ['title', 'slug'] },
} as const;

/** What a retracted item still tells a rep: why it is gone and what to use instead. */
function tombstoneOf(doc: Record<string, any>) {
  return {
    documentId: doc.documentId,
    title: doc.title,
    slug: doc.slug,
    reason: doc.standingReason,
    retractedAt: doc.standingChangedAt,
    replacedBy: doc.replacedBy ? { documentId: doc.replacedBy.documentId, title: doc.replacedBy.title, slug: doc.replacedBy.slug } : null,
  };
}

function gone(ctx: any, doc: Record<string, any>) {
  ctx.status = 410;
  ctx.body = shapeResponse(
    collateralGoneResponseSchema,
    {
      data: null,
      error: { status: 410, name: 'GoneError', message: `“${doc.title}” was retracted: ${doc.standingReason ?? 'no reason given'}`, details: { tombstone: tombstoneOf(doc) } },
    },
    `${ctx.method} ${ctx.path}`
  );
}

/** The upload's name in its URLs (`<hash><ext>`), the id the file routes take. */
const uploadNameOf = (f: { hash: string; ext: string | null }) => `${f.hash}${f.ext ?? ''}`;

/**
 * The checks both file routes make: a plain upload name of a published item. Answers 400/404, or 410
 * when every item using it is retracted, and returns null then; the access to serve otherwise.
 */
async function checkedFile(strapi: Parameters<typeof fileAccess>[0], ctx: any) {
  const name = String(ctx.params.name ?? '');
  if (!isUploadName(name)) throw new errors.ValidationError('A file name is letters, digits, "_", "-" and "." (as in the file URLs Candor gives out).');
  const access = await fileAccess(strapi, name);
  if (access.kind === 'missing') throw new errors.NotFoundError('No published item has this file.');
  if (access.kind === 'gone') {
    const { retracted } = access;
    ctx.status = 410;
    ctx.set('cache-control', 'no-store');
    ctx.body = {
      data: null,
      error: {
        status: 410,
        name: 'GoneError',
        message: `This file belonged to “${retracted.title}”, which was retracted: ${retracted.standingReason ?? 'no reason given'}`,
        details: { slug: retracted.slug, documentId: retracted.documentId },
      },
    };
    return null;
  }
  return access;
}

export default factories.createCoreController(UID, ({ strapi }) => {
  const filesService = () => changeNotices(strapi).files;

  /**
   * Each listed item's picture for its card: the first page of its first file that has pictures
   * (drawn by the worker), when the item has no cover. Two queries for the whole page of items.
   */
  async function withPreviews(items: Record<string, any>[]): Promise<void> {
    const ids = items.filter((i) => !i.cover && typeof i.documentId === 'string').map((i) => i.documentId as string);
    if (!ids.length) return;
    const rows = (await strapi.db.query(UID).findMany({
      where: { documentId: { $in: ids }, publishedAt: { $notNull: true } },
      select: ['documentId'],
      populate: { files: { select: ['id', 'hash', 'ext'] } },
    })) as { documentId: string; files?: { id: number; hash: string; ext: string | null }[] }[];
    const pages = await filesService().previewPagesOf(rows.flatMap((r) => (r.files ?? []).map((f) => f.id)));
    const byItem = new Map<string, { name: string; pages: number }>();
    for (const r of rows) {
      const file = (r.files ?? []).find((f) => pages.has(f.id));
      if (file) byItem.set(r.documentId, { name: uploadNameOf(file), pages: pages.get(file.id)! });
    }
    for (const item of items) item.preview = byItem.get(item.documentId) ?? null;
  }

  return {
  /**
   * Lists current collateral: retracted items are never listed as current unless asked for by standing.
   * The answer carries whatever `fields` and `populate` the caller asks for, so Strapi shapes it; the
   * portal parses each of its queries with the matching contract (collateralListResponseSchema, …).
   */
  async find(ctx) {
    const query = (ctx.query ?? {}) as Record<string, any>;
    const filters = (query.filters ?? {}) as Record<string, unknown>;
    if (!('standing' in filters)) ctx.query = { ...query, filters: { ...filters, standing: { $ne: 'retracted' } } };
    const answer = (await super.find(ctx)) as { data?: Record<string, any>[] } | undefined;
    if (Array.isArray(answer?.data)) await withPreviews(answer.data);
    return answer;
  },

  /** A retracted item answers 410 with its tombstone instead of its content. */
  async findOne(ctx) {
    const doc = await strapi.documents(UID).findOne({ documentId: ctx.params.id, status: 'published', populate: { replacedBy: { fields: ['title', 'slug'] } } });
    if (doc?.standing === 'retracted') return gone(ctx, doc);
    return super.findOne(ctx);
  },

  /** GET /api/collaterals/by-slug/:slug: the portal's read, current item (200) or tombstone (410). */
  async findBySlug(ctx) {
    const slug = String(ctx.params.slug ?? '');
    // Strapi's uid fields allow A-Z a-z 0-9 - _ . ~
    if (!/^[A-Za-z0-9._~-]{1,200}$/.test(slug)) throw new errors.ValidationError('slug may only contain letters, digits, "-", "_", "." and "~"');
    const doc = await strapi.documents(UID).findFirst({ filters: { slug }, status: 'published', populate: COLLATERAL_POPULATE as never });
    if (!doc) throw new errors.NotFoundError(`No published collateral at /${slug}.`);
    if (doc.standing === 'retracted') return gone(ctx, doc);
    const sanitized = (await strapi.contentAPI.sanitize.output(doc, strapi.getModel(UID), { auth: ctx.state.auth })) as Record<string, any>;
    // How many of each file's first pages the worker has pictured (the page shows them).
    const files = ((doc as { files?: { id: number }[] }).files ?? []);
    const pages = await filesService().previewPagesOf(files.map((f) => f.id));
    for (const [i, f] of (Array.isArray(sanitized.files) ? sanitized.files : []).entries()) f.pages = pages.get(Number(f.id ?? files[i]?.id)) ?? 0;
    // Shaped by the contract the portal reads it with: what the page shows, nothing more. Strapi's
    // sanitized document is untyped; the contract checks it here, at run time.
    ctx.body = shapeResponse(collateralResponseSchema, { data: sanitized as z.input<typeof collateralSchema> }, `${ctx.method} ${ctx.path}`);
  },

  /**
   * GET /api/collaterals/files/:name: one stored file (or a generated image size) of a published item.
   * 410 when every item using it is retracted, 404 for a draft's file or an unknown name.
   */
  async file(ctx) {
    const access = await checkedFile(strapi, ctx);
    if (!access) return;
    await sendStoredObject(ctx, access.object, { cacheControl: 'private, no-store' });
  },

  /**
   * GET /api/collaterals/files/:name/pages/:page: the WebP picture of a page of a published item's
   * file, with the file's checks (410 once retracted, 404 for a draft's). Revalidated on every use
   * (ETag: the bytes pictured), so a retraction holds from the next request.
   */
  async filePage(ctx) {
    const page = String(ctx.params.page ?? '');
    if (!/^[1-9]\d{0,3}$/.test(page)) throw new errors.ValidationError('A page is a whole number from 1.');
    const access = await checkedFile(strapi, ctx);
    if (!access) return;
    const preview = await filesService().previewOf(access.object.row.id, Number(page));
    if (!preview) throw new errors.NotFoundError(`There is no picture of page ${page} of this file.`);
    const etag = `"${preview.contentHash.slice(0, 32)}-${page}"`;
    ctx.set('etag', etag);
    ctx.set('cache-control', 'private, no-cache');
    ctx.set('x-content-type-options', 'nosniff');
    if (ctx.get('if-none-match') === etag) {
      ctx.status = 304;
      return;
    }
    ctx.status = 200;
    ctx.type = 'image/webp';
    ctx.body = preview.image;
  },
};
});
