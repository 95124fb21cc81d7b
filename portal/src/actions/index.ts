/**
 * Astro Actions. Form actions work as plain HTML form posts (no JavaScript): the page posts to
 * itself with `?_action=<name>`, Astro runs the action after the middleware (origin check, session)
 * and the page reads the outcome with `Astro.getActionResult()`.
 */
import { ActionError, defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { feedbackInputSchema, shareInputSchema } from '@candor/change-notices/contracts';
import { CmsError } from '../lib/cms';
import { submitFeedback } from '../lib/feedback';
import { logFailure } from '../lib/problems';
import { cms } from '../lib/server';
import { createShare, shareAction } from '../lib/shares';

export const server = {
  feedback: {
    /**
     * "Suggest an edit" on a collateral page. The input is checked with the CMS's own contract
     * (`feedbackInputSchema`), so a form the portal accepts is one `POST /api/feedbacks` accepts;
     * the CMS still has the last word, and its per-field refusals come back as `{ saved: false }`.
     * The suggestion is filed with the rep's own JWT: Strapi records them as the submitter.
     */
    suggest: defineAction({
      accept: 'form',
      input: feedbackInputSchema,
      handler: async (input, context) => {
        const session = context.locals.session;
        if (!session) throw new ActionError({ code: 'UNAUTHORIZED', message: 'Sign in again to send your suggestion.' });
        try {
          const result = await submitFeedback(cms(), session.token, input);
          return result.ok ? { saved: true as const, documentId: result.documentId } : { saved: false as const, errors: result.errors };
        } catch (err) {
          if (err instanceof CmsError && err.code === 'unauthorized') throw new ActionError({ code: 'UNAUTHORIZED', message: 'Your session ended. Sign in again to send your suggestion.' });
          if (err instanceof CmsError && err.code === 'rate_limited') throw new ActionError({ code: 'TOO_MANY_REQUESTS', message: 'Too many suggestions at once. Wait a moment, then send it again.' });
          logFailure('sending a suggestion', err);
          throw new ActionError({ code: 'SERVICE_UNAVAILABLE', message: 'Your suggestion was not sent: the content service is not answering. Try again in a minute.' });
        }
      },
    }),
  },
  shares: {
    /** "Share with a buyer" on a collateral page: the link is made with the rep's own JWT (they own it). */
    create: defineAction({
      accept: 'form',
      input: shareInputSchema,
      handler: async (input, context) => {
        const session = context.locals.session;
        if (!session) throw new ActionError({ code: 'UNAUTHORIZED', message: 'Sign in again to share this item.' });
        try {
          return { share: await createShare(cms(), session.token, input) };
        } catch (err) {
          throw shareFailure(err, 'The link was not made');
        }
      },
    }),
    /** Revoke a link, or send a retracted item's replacement to the same buyer (a new link). */
    act: defineAction({
      accept: 'form',
      input: z.object({ id: z.coerce.number().int().positive().max(2_147_483_647), action: z.enum(['revoke', 'replacement']) }),
      handler: async ({ id, action }, context) => {
        const session = context.locals.session;
        if (!session) throw new ActionError({ code: 'UNAUTHORIZED', message: 'Sign in again.' });
        try {
          const share = await shareAction(cms(), session.token, id, action);
          if (!share) throw new ActionError({ code: 'NOT_FOUND', message: 'You have no such link.' });
          return { share, action };
        } catch (err) {
          throw shareFailure(err, action === 'revoke' ? 'The link was not revoked' : 'The replacement was not sent');
        }
      },
    }),
  },
};

/** What a rep reads when Strapi refused or failed a share action. */
function shareFailure(err: unknown, what: string): ActionError {
  if (err instanceof ActionError) return err;
  if (err instanceof CmsError) {
    if (err.code === 'unauthorized') return new ActionError({ code: 'UNAUTHORIZED', message: 'Your session ended. Sign in again.' });
    if (err.code === 'forbidden') return new ActionError({ code: 'FORBIDDEN', message: `${what}: ${err.message.replace(/^.*?: /, '')}` });
    if (err.code === 'rejected') return new ActionError({ code: 'BAD_REQUEST', message: `${what}: ${err.message}` });
    if (err.code === 'rate_limited') return new ActionError({ code: 'TOO_MANY_REQUESTS', message: `${what}: too many at once. Wait a moment.` });
  }
  logFailure('a share action', err);
  return new ActionError({ code: 'SERVICE_UNAVAILABLE', message: `${what}: the content service is not answering. Try again in a minute.` });
}
