import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { customerSafeInputSchema, recentResponseSchema, restoreResponseSchema, SUBJECT_KINDS, versionListResponseSchema, versionResponseSchema } from '../../shared/contracts';
import { bodyOf, respond, type Ctx } from '../common/http';
import { parseOrThrow } from '../common/validation';
import { getService } from '../services';
import { subjectOf, versionOf } from '../common/params';

const recentQuery = z.object({
  days: z.coerce.number({ error: 'days must be a number' }).int().min(1, { error: 'days must be 1 to 90' }).max(90, { error: 'days must be 1 to 90' }).default(7),
  limit: z.coerce.number().int().min(1).max(100, { error: 'limit must be at most 100' }).default(20),
});

/**
 * An imported item's history exists before it is published (versions caused by `import`): only the
 * admin may read it until the item has a version of its own in Candor, so a draft stays private.
 */
const hidesImportedDrafts = (ctx: Ctx) => (ctx.state as { auth?: { strategy?: { name?: string } } }).auth?.strategy?.name !== 'admin';
const importedOnly = (data: { cause: string }[]) => data.length > 0 && data.every((v) => v.cause === 'import');

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET …/recent?days=7: collateral versions of the last days, split into new items and changes. */
  async recent(ctx: Ctx) {
    const q = parseOrThrow(recentQuery, ctx.query, 'The query');
    respond(ctx, recentResponseSchema, { data: await getService(strapi, 'versions').recent(q.days, q.limit), meta: q });
  },

  /** GET …/versions/:kind/:documentId: the history, newest first. */
  async find(ctx: Ctx) {
    const { uid, documentId } = subjectOf(ctx.params);
    const data = await getService(strapi, 'versions').list(uid, documentId);
    if (!data.length || (importedOnly(data) && hidesImportedDrafts(ctx))) throw new errors.NotFoundError(`No published history for ${ctx.params.kind} ${documentId}.`);
    respond(ctx, versionListResponseSchema, { data, meta: { documentId, kind: ctx.params.kind, count: data.length } });
  },

  /** GET …/versions/:kind/:documentId/:number: one version with its full snapshot. */
  async findOne(ctx: Ctx) {
    const { uid, documentId, number } = versionOf(ctx.params);
    const versions = getService(strapi, 'versions');
    const data = await versions.get(uid, documentId, number);
    if (data && hidesImportedDrafts(ctx) && importedOnly(await versions.list(uid, documentId))) throw new errors.NotFoundError(`No published history for ${ctx.params.kind} ${documentId}.`);
    if (!data) throw new errors.NotFoundError(`Version ${number} of ${ctx.params.kind} ${documentId} does not exist.`);
    respond(ctx, versionResponseSchema, { data });
  },

  /** POST …/versions/:kind/:documentId/:number/restore: the old content becomes the current draft. */
  async restore(ctx: Ctx) {
    const { uid, documentId, number } = versionOf(ctx.params);
    const draft = await getService(strapi, 'versions').restore(uid, documentId, number);
    respond(ctx, restoreResponseSchema, { data: { documentId, restoredFrom: number, draftUpdatedAt: (draft as { updatedAt?: string } | null)?.updatedAt ?? null } });
  },

  /** PUT …/versions/collateral/:documentId/:number/customer-safe: marketing says whether buyers may get it. */
  async setCustomerSafe(ctx: Ctx) {
    const { uid, documentId, number } = versionOf(ctx.params);
    if (uid !== SUBJECT_KINDS.collateral) throw new errors.ValidationError('Only collateral versions go to buyers.');
    const { customerSafe } = parseOrThrow(customerSafeInputSchema, bodyOf(ctx), 'The body');
    respond(ctx, versionResponseSchema, { data: await getService(strapi, 'versions').setCustomerSafe(documentId, number, customerSafe) });
  },
});
