/**
 * Astro Actions. Form actions work as plain HTML form posts (no JavaScript): the page posts to
 * itself with `?_action=<name>`, Astro runs the action after the middleware (origin check, session)
 * and the page reads the outcome with `Astro.getActionResult()`.
 */
import { ActionError, defineAction } from 'astro:actions';
import { feedbackInputSchema } from '@candor/change-notices/contracts';
import { CmsError } from '../lib/cms';
import { submitFeedback } from '../lib/feedback';
import { logFailure } from '../lib/problems';
import { cms } from '../lib/server';

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
};
