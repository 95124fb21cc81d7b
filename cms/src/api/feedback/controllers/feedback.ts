import { factories } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { feedbackCreatedResponseSchema, feedbackInputSchema, mySuggestionsResponseSchema, shapeResponse } from '@candor/change-notices/contracts';
import { changeNotices } from '@candor/change-notices/server';

const UID = 'api::feedback.feedback';
/** A rep may file this many suggestions per RATE_WINDOW_MS; a script or a stuck button may not flood marketing. */
const RATE_LIMIT = 30;
const RATE_WINDOW_MS = 10 * 60_000;
const COLLATERAL = 'api::collateral.collateral';

function parseInput(body: unknown) {
  const parsed = feedbackInputSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.code === 'unrecognized_keys' ? `unknown field: ${i.keys.join(', ')}` : i.message, name: 'ValidationError' }));
  throw new errors.ValidationError(`The suggestion is invalid: ${problems.map((p) => p.message).join('; ')}`, { errors: problems });
}

export default factories.createCoreController(UID, ({ strapi }) => ({
  /**
   * A rep suggests an edit. Only the rep's fields are taken from the request; the submitter, the
   * version it is about and the state are set here, and the owner hears about it through the outbox.
   */
  async create(ctx) {
    const user = ctx.state.user;
    if (!user) throw new errors.UnauthorizedError('Sign in to suggest an edit.');
    const input = parseInput(ctx.request.body?.data ?? ctx.request.body);
    const recent = await strapi.db.query(UID).count({ where: { submitter: { id: user.id }, createdAt: { $gte: new Date(Date.now() - RATE_WINDOW_MS) } } });
    if (recent >= RATE_LIMIT) {
      ctx.set('Retry-After', String(RATE_WINDOW_MS / 1000));
      throw new errors.RateLimitError(`You sent ${recent} suggestions in the last ${RATE_WINDOW_MS / 60_000} minutes; marketing reads every one. Please wait a few minutes before sending more.`);
    }
    const collateral = (await strapi.documents(COLLATERAL).findOne({ documentId: input.collateral, status: 'published', fields: ['title', 'slug', 'ownerEmail', 'standing'] as never })) as
      | { documentId: string; title: string; slug: string; ownerEmail: string | null; standing: string }
      | null;
    if (!collateral) {
      throw new errors.ValidationError('collateral: no published item has that id', { errors: [{ path: ['collateral'], message: 'no published item has that id', name: 'ValidationError' }] });
    }
    const plugin = changeNotices(strapi);
    const version = await plugin.versions.latestNumber(COLLATERAL, collateral.documentId);
    const created = await strapi.db.transaction(async ({ trx }) => {
      const doc = await strapi.documents(UID).create({
        data: {
          collateral: collateral.documentId,
          collateralVersion: version || null,
          kind: input.kind,
          passage: input.passage ?? null,
          suggestion: input.suggestion,
          customerContext: input.customerContext ?? null,
          urgency: input.urgency,
          state: 'new',
          submitter: user.id,
        } as never,
      });
      // The owner hears of it through the outbox, in this transaction: no suggestion without its email.
      await plugin.notices.queueFeedbackForOwner(trx, {
        feedbackDocumentId: doc.documentId,
        ownerEmail: collateral.ownerEmail,
        feedback: {
          itemTitle: collateral.title,
          from: user.username,
          urgent: input.urgency === 'high',
          kind: input.kind,
          passage: input.passage ?? null,
          suggestion: input.suggestion,
          customerContext: input.customerContext ?? null,
        },
      });
      return doc;
    });
    ctx.status = 201;
    ctx.body = shapeResponse(feedbackCreatedResponseSchema, { data: { documentId: created.documentId, state: 'new', collateralVersion: version || null } }, `${ctx.method} ${ctx.path}`);
  },

  /** GET /api/feedbacks/mine: the signed-in rep's suggestions and what became of them. */
  async mine(ctx) {
    const user = ctx.state.user;
    if (!user) throw new errors.UnauthorizedError('Sign in first.');
    const docs = (await strapi.documents(UID).findMany({
      filters: { submitter: { id: user.id } } as never,
      sort: 'createdAt:desc',
      populate: { collateral: { fields: ['title', 'slug'] } } as never,
      limit: 200,
    })) as any[];
    const data = docs.map((d) => ({
      documentId: d.documentId,
      kind: d.kind,
      suggestion: d.suggestion,
      passage: d.passage ?? null,
      urgency: d.urgency,
      state: d.state,
      resolutionNote: d.resolutionNote ?? null,
      collateralVersion: d.collateralVersion ?? null,
      shippedInVersion: d.shippedInVersion ?? null,
      collateral: d.collateral ? { documentId: d.collateral.documentId, title: d.collateral.title, slug: d.collateral.slug } : null,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
    }));
    ctx.body = shapeResponse(mySuggestionsResponseSchema, { data }, `${ctx.method} ${ctx.path}`);
  },
}));
