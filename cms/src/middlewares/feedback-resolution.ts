import type { Core, Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { changeNotices } from '@candor/change-notices/server';

const UID = 'api::feedback.feedback';
const COLLATERAL = 'api::collateral.collateral';
const RESOLVED = ['accepted', 'declined', 'shipped'];

/**
 * Marketers triage feedback in the admin. Declining or shipping needs a resolution note; shipping
 * records the collateral version that carries the fix (the latest, unless given). When the state
 * moves to accepted, declined or shipped, the rep who suggested it gets a notice (inbox and email).
 */
export function feedbackResolutionMiddleware({ strapi }: { strapi: Core.Strapi }): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    if (context.uid !== UID || context.action !== 'update') return next();
    const params = context.params as { documentId: string; data?: Record<string, any> };
    const data = params.data ?? {};
    const before = (await strapi.documents(UID).findOne({ documentId: params.documentId, populate: { collateral: { fields: ['documentId', 'title', 'slug'] }, submitter: { fields: ['id'] } } as never })) as any;
    if (!before || !data.state || data.state === before.state) return next();

    if (['declined', 'shipped'].includes(data.state) && !String(data.resolutionNote ?? before.resolutionNote ?? '').trim()) {
      throw new errors.ValidationError('resolutionNote: say what was done (or why not) before you decline or ship it', {
        errors: [{ path: ['resolutionNote'], message: 'say what was done (or why not) before you decline or ship it', name: 'ValidationError' }],
      });
    }
    const plugin = changeNotices(strapi);
    if (data.state === 'shipped' && !data.shippedInVersion && before.collateral) {
      data.shippedInVersion = (await plugin.versions.latestNumber(COLLATERAL, before.collateral.documentId)) || null;
    }
    return strapi.db.transaction(async ({ trx }) => {
      const result = await next();
      if (RESOLVED.includes(data.state) && before.submitter?.id) {
        await plugin.notices.notifyFeedbackResolved(
          trx,
          {
            feedbackDocumentId: params.documentId,
            state: data.state,
            suggestion: String(before.suggestion),
            resolutionNote: String(data.resolutionNote ?? before.resolutionNote ?? '').trim() || null,
            shippedInVersion: data.state === 'shipped' ? (data.shippedInVersion ?? null) : null,
            collateral: before.collateral ?? null,
          },
          before.submitter.id
        );
      }
      return result;
    });
  };
}
