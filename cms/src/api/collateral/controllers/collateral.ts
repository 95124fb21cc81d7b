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
  files: { fields: ['name', 'url', 'mime', 'size', 'width', 'height', 'formats', 'alternativeText', 'provider'] },
  cover: { fields: ['name', 'url', 'width', 'height', 'formats', 'alternativeText', 'provider'] },
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

export default factories.createCoreController(UID, ({ strapi }) => ({
  /**
   * Lists current collateral: retracted items are never listed as current unless asked for by standing.
   * The answer carries whatever `fields` and `populate` the caller asks for, so Strapi shapes it; the
   * portal parses each of its queries with the matching contract (collateralListResponseSchema, …).
   */
  async find(ctx) {
    const query = (ctx.query ?? {}) as Record<string, any>;
    const filters = (query.filters ?? {}) as Record<string, unknown>;
    if (!('standing' in filters)) ctx.query = { ...query, filters: { ...filters, standing: { $ne: 'retracted' } } };
    return super.find(ctx);
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
    const sanitized = await strapi.contentAPI.sanitize.output(doc, strapi.getModel(UID), { auth: ctx.state.auth });
    // Shaped by the contract the portal reads it with: what the page shows, nothing more. Strapi's
    // sanitized document is untyped; the contract checks it here, at run time.
    ctx.body = shapeResponse(collateralResponseSchema, { data: sanitized as z.input<typeof collateralSchema> }, `${ctx.method} ${ctx.path}`);
  },

  /**
   * GET /api/collaterals/files/:name: one stored file (or a generated image size) of a published item.
   * 410 when every item using it is retracted, 404 for a draft's file or an unknown name.
   */
  async file(ctx) {
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
      return;
    }
    await sendStoredObject(ctx, access.object, { cacheControl: 'private, no-store' });
  },
}));
