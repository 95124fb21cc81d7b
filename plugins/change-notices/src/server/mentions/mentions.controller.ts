import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { claimLinkResponseSchema, claimMentionsResponseSchema } from '../../shared/contracts';
import { actorFromUser } from '../common/actor';
import { respond, unavailable, type Ctx } from '../common/http';
import { parseOrThrow } from '../common/validation';
import { getService } from '../services';
import { SearchError } from '../search/client';

const documentId = (what: string) => z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: `${what} must be a documentId (letters, digits, - and _, at most 64)` });
const claimParams = z.object({ documentId: documentId('documentId') });
const linkParams = claimParams.extend({ collateral: documentId('collateral') });

/** Admin API (marketers): a claim's unlinked mentions, and linking one. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /change-notices/claims/:documentId/mentions */
  async find(ctx: Ctx) {
    const { documentId: claim } = parseOrThrow(claimParams, ctx.params, 'The URL');
    try {
      const { mentions, phrases, linked } = await getService(strapi, 'mentions').find(claim);
      ctx.set('Cache-Control', 'no-store');
      respond(ctx, claimMentionsResponseSchema, { data: mentions, meta: { claim, phrases, linked } });
    } catch (err) {
      if (err instanceof SearchError) return unavailable(ctx, `Mentions are found through search, which is unavailable right now: ${err.message}`);
      throw err;
    }
  },

  /** POST /change-notices/claims/:documentId/mentions/:collateral/link */
  async link(ctx: Ctx) {
    const { documentId: claim, collateral } = parseOrThrow(linkParams, ctx.params, 'The URL');
    const result = await getService(strapi, 'mentions').link(claim, collateral, actorFromUser(ctx.state.user));
    respond(ctx, claimLinkResponseSchema, { data: { claim, collateral, ...result } });
  },
});
