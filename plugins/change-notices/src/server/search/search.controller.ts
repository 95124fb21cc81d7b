import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { contentRequestsResponseSchema, searchLogInputSchema, searchTokenResponseSchema, truthQuerySchema, truthResponseSchema } from '../../shared/contracts';
import { bodyOf, respond, unavailable, userIdOf, type Ctx } from '../common/http';
import { parseOrThrow } from '../common/validation';
import { getService } from '../services';
import { SearchError } from './client';

const contentRequestsQuery = z.object({
  days: z.coerce.number({ error: 'days must be a number of days' }).int({ error: 'days must be a whole number' }).min(1, { error: 'days must be 1 or more' }).max(365, { error: 'days must be at most 365' }).default(30),
  limit: z.coerce.number({ error: 'limit must be a number' }).int({ error: 'limit must be a whole number' }).min(1, { error: 'limit must be 1 or more' }).max(500, { error: 'limit must be at most 500' }).default(50),
});

/**
 * Search routes. Content API (reps): a tenant token to search with, the truth overlay, search logging.
 * Admin API (marketers): zero-result queries as content requests, index status, reconcile now.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const search = () => getService(strapi, 'search');
  return {
    /** GET /api/change-notices/search/token */
    async token(ctx: Ctx) {
      userIdOf(ctx);
      ctx.set('Cache-Control', 'no-store');
      if (!search().enabled) return unavailable(ctx, 'Search is not configured on this server (MEILI_URL is not set).');
      try {
        respond(ctx, searchTokenResponseSchema, { data: await search().issueToken() });
      } catch (err) {
        if (err instanceof SearchError) return unavailable(ctx, `Search is unavailable right now: ${err.message}`);
        throw err;
      }
    },

    /** GET /api/change-notices/search/truth?ids=a,b,c */
    async truth(ctx: Ctx) {
      userIdOf(ctx);
      const { ids } = parseOrThrow(truthQuerySchema, ctx.query, 'The query');
      const data = await search().truth(ids);
      // The portal caches per (id, version) itself; intermediaries must not.
      ctx.set('Cache-Control', 'private, no-store');
      respond(ctx, truthResponseSchema, { data, meta: { checkedAt: new Date().toISOString() } });
    },

    /** POST /api/change-notices/search/log */
    async log(ctx: Ctx) {
      const userId = userIdOf(ctx);
      const input = parseOrThrow(searchLogInputSchema, bodyOf(ctx), 'The search log');
      await search().logSearch(userId, input);
      ctx.status = 204;
    },

    /** GET /change-notices/search/content-requests?days=30&limit=50 (admin) */
    async contentRequests(ctx: Ctx) {
      const q = parseOrThrow(contentRequestsQuery, ctx.query, 'The query');
      const { data, since } = await search().contentRequests(q);
      respond(ctx, contentRequestsResponseSchema, { data, meta: { days: q.days, since } });
    },

    /** GET /change-notices/search/status (admin) */
    async status(ctx: Ctx) {
      ctx.body = { data: await search().status() };
    },

    /** POST /change-notices/search/reconcile (admin): repair drift now and report what was repaired. */
    async reconcile(ctx: Ctx) {
      if (!search().enabled) return unavailable(ctx, 'Search is not configured on this server (MEILI_URL is not set).');
      try {
        ctx.body = { data: await search().reconcile('admin') };
      } catch (err) {
        if (err instanceof SearchError) return unavailable(ctx, `Reconcile failed: ${err.message}`);
        throw err;
      }
    },
  };
};
