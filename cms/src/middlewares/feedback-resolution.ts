import type { Core, Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';

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
    const versions = strapi.plugin('change-notices').service('versions');
    if (data.state === 'shipped' && !data.shippedInVersion && before.collateral) {
      data.shippedInVersion = (await versions.latestNumber(COLLATERAL, before.collateral.documentId)) || null;
    }
    return strapi.db.transaction(async ({ trx }) => {
      const result = await next();
      if (RESOLVED.includes(data.state) && before.submitter?.id) {
        const portal = String(strapi.config.get('plugin::change-notices.portalUrl')).replace(/\/$/, '');
        const title = before.collateral?.title ?? 'your request';
        const note = String(data.resolutionNote ?? before.resolutionNote ?? '').trim();
        const shipped = data.state === 'shipped';
        const draft = {
          key: `feedback:${params.documentId}:${data.state}`,
          urgency: 'fyi',
          uid: COLLATERAL,
          documentId: before.collateral?.documentId ?? params.documentId,
          version: shipped ? (data.shippedInVersion ?? null) : null,
          headline: shipped
            ? `Your suggestion shipped in version ${data.shippedInVersion ?? '?'}: ${title}`
            : data.state === 'declined'
              ? `Your suggestion was declined: ${title}`
              : `Your suggestion was accepted: ${title}`,
          whatChanged: `You suggested: “${String(before.suggestion).slice(0, 300)}”`,
          why: note || null,
          whatToDo: shipped ? 'Use the current version; it has the fix.' : data.state === 'declined' ? 'No change will be made. Reply to marketing if you disagree.' : 'Marketing will make the change; you will hear when it ships.',
          link: before.collateral ? `${portal}/collateral/${before.collateral.slug}` : `${portal}/suggestions`,
          details: [],
          actor: 'Marketing',
        };
        await strapi.plugin('change-notices').service('notices').queueDirect(trx, draft, [before.submitter.id]);
      }
      return result;
    });
  };
}
