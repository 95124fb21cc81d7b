import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { searchLogInputSchema, truthQuerySchema, type TruthResponse } from '../../shared/contracts';
import { getService } from '../utils/get-service';
import { parseOrThrow } from '../utils/validation';
import { SearchError } from './client';

const contentRequestsQuery = z.object({
  days: z.coerce.number({ error: 'days must be a number of days' }).int({ error: 'days must be a whole number' }).min(1, { error: 'days must be 1 or more' }).max(365, { error: 'days must be at most 365' }).default(30),
  limit: z.coerce.number({ error: 'limit must be a number' }).int({ error: 'limit must be a whole number' }).min(1, { error: 'limit must be 1 or more' }).max(500, { error: 'limit must be at most 500' }).default(50),
});

const userOf = (ctx: any): number => {
  const id = ctx.state.user?.id;
  if (!id) throw new errors.UnauthorizedError('Sign in first.');
  return Number(id);
};

/** 503 in Strapi's error shape: search is off or Meilisearch is down, and the caller may try later. */
function unavailable(ctx: any, message: string) {
  ctx.status = 503;
  ctx.set('Retry-After', '30');
  ctx.body = { data: null, error: { status: 503, name: 'ServiceUnavailableError', message, details: {} } };
}

/**
 * Search routes. Content API (reps): a tenant token to search with, the truth overlay, search logging.
 * Admin API (marketers): zero-result queries as content requests, index status, reconcile now.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const search = () => getService(strapi, 'search');
  return {
    /** GET /api/change-notices/search/token */
    async token(ctx: any) {
      userOf(ctx);
      ctx.set('Cache-Control', 'no-store');
      if (!search().enabled) return unavailable(ctx, 'Search is not configured on this server (MEILI_URL is not set).');
      try {
        ctx.body = { data: await search().issueToken() };
      } catch (err) {
        if (err instanceof SearchError) return unavailable(ctx, `Search is unavailable right now: ${err.message}`);
        throw err;
      }
    },

    /** GET /api/change-notices/search/truth?ids=a,b,c */
    async truth(ctx: any) {
      userOf(ctx);
      const { ids } = parseOrThrow(truthQuerySchema, ctx.query, 'The query');
      const body: TruthResponse = { data: await search().truth(ids), meta: { checkedAt: new Date().toISOString() } };
      // The portal caches per (id, version) itself; intermediaries must not.
      ctx.set('Cache-Control', 'private, no-store');
      ctx.body = body;
    },

    /** POST /api/change-notices/search/log */
    async log(ctx: any) {
      const userId = userOf(ctx);
      const input = parseOrThrow(searchLogInputSchema, ctx.request.body?.data ?? ctx.request.body, 'The search log');
      await search().logSearch(userId, input);
      ctx.status = 204;
    },

    /** GET /change-notices/search/content-requests?days=30&limit=50 (admin) */
    async contentRequests(ctx: any) {
      const q = parseOrThrow(contentRequestsQuery, ctx.query, 'The query');
      const { data, since } = await search().contentRequests(q);
      ctx.body = { data, meta: { days: q.days, since } };
    },

    /** GET /change-notices/search/status (admin) */
    async status(ctx: any) {
      ctx.body = { data: await search().status() };
    },

    /** POST /change-notices/search/reconcile (admin): repair drift now and report what was repaired. */
    async reconcile(ctx: any) {
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
