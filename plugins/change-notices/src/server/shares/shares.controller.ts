import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import contentDisposition from 'content-disposition';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { z } from 'zod';
import { buyerViewResponseSchema, itemSharesResponseSchema, shareInputSchema, shareListQuerySchema, shareListResponseSchema, shareResponseSchema, SHARE_TOKEN_PATTERN } from '../../shared/contracts';
import { actorFromUser } from '../common/actor';
import { bodyOf, idParam, positiveIntParam, respond, userIdOf, type Ctx } from '../common/http';
import { parseOrThrow } from '../common/validation';
import { getService } from '../services';
import { ShareGoneError } from './service';

const shares = (strapi: Core.Strapi) => getService(strapi, 'shares');
const shareParam = z.object({ id: idParam('a share link number') });
const documentIdParam = z.object({ documentId: z.string().trim().min(1).max(64) });
// Malformed tokens are refused before any lookup, with the same answer as unknown ones.
const tokenParam = z.object({ token: z.string().regex(SHARE_TOKEN_PATTERN) });
const fileParam = tokenParam.extend({ file: positiveIntParam('the file must be a number') });
const pageParam = fileParam.extend({ page: positiveIntParam('a page is a whole number from 1').refine((n) => n <= 10_000, { error: 'a page is at most 10000' }) });

/** The rep's side (content API, signed-in reps): share, list, revoke, send the replacement. */
export const sharesController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async create(ctx: Ctx) {
    const input = parseOrThrow(shareInputSchema, bodyOf(ctx), 'The share');
    try {
      const data = await shares(strapi).create(userIdOf(ctx), input);
      ctx.status = 201;
      respond(ctx, shareResponseSchema, { data });
    } catch (err) {
      // Strapi's content API answers a ForbiddenError with a bare "Forbidden"; the rep needs the reason.
      if (!(err instanceof errors.ForbiddenError)) throw err;
      ctx.status = 403;
      ctx.body = { data: null, error: { status: 403, name: 'ForbiddenError', message: err.message, details: {} } };
    }
  },
  async find(ctx: Ctx) {
    const q = parseOrThrow(shareListQuerySchema, ctx.query, 'The query');
    respond(ctx, shareListResponseSchema, { data: await shares(strapi).list({ userId: userIdOf(ctx), collateral: q.collateral }) });
  },
  async revoke(ctx: Ctx) {
    const { id } = parseOrThrow(shareParam, ctx.params, 'The URL');
    respond(ctx, shareResponseSchema, { data: await shares(strapi).revoke(id, { kind: 'rep', userId: userIdOf(ctx) }) });
  },
  async sendReplacement(ctx: Ctx) {
    const { id } = parseOrThrow(shareParam, ctx.params, 'The URL');
    respond(ctx, shareResponseSchema, { data: await shares(strapi).sendReplacement(userIdOf(ctx), id) });
  },
});

/** Marketing's side (admin API): an item's links and reach, and revoking any link. */
export const sharesAdminController = ({ strapi }: { strapi: Core.Strapi }) => ({
  async forItem(ctx: Ctx) {
    const { documentId } = parseOrThrow(documentIdParam, ctx.params, 'The URL');
    const [reach, list] = await Promise.all([shares(strapi).reach(documentId), shares(strapi).list({ collateral: documentId })]);
    respond(ctx, itemSharesResponseSchema, { data: { reach, shares: list } });
  },
  async revoke(ctx: Ctx) {
    const { id } = parseOrThrow(shareParam, ctx.params, 'The URL');
    respond(ctx, shareResponseSchema, { data: await shares(strapi).revoke(id, { kind: 'admin', name: actorFromUser(ctx.state.user).name }) });
  },
});

/**
 * The buyer's side (content API, no sign-in: the token is the credential). Each refusal is a plain 4xx
 * that says nothing about other links: unknown and forged tokens 404, a link that serves no files 410.
 * Misses are rate-limited per client (a guessing run is slowed to a crawl; real links are never held up).
 */
export const buyerController = ({ strapi }: { strapi: Core.Strapi }) => {
  const misses = new RateLimiterMemory({ points: 30, duration: 60 });
  const guarded = async (ctx: Ctx, work: () => Promise<void>) => {
    ctx.set('cache-control', 'private, no-store');
    ctx.set('x-robots-tag', 'noindex, nofollow');
    ctx.set('referrer-policy', 'no-referrer');
    try {
      await work();
    } catch (err) {
      if (err instanceof ShareGoneError) {
        ctx.status = 410;
        ctx.body = { data: null, error: { status: 410, name: 'GoneError', message: err.message, details: {} } };
        return;
      }
      if (err instanceof errors.NotFoundError || err instanceof errors.ValidationError) {
        try {
          await misses.consume(ctx.ip);
        } catch {
          ctx.status = 429;
          ctx.set('retry-after', '60');
          ctx.body = { data: null, error: { status: 429, name: 'RateLimitError', message: 'Too many requests for links that do not exist. Wait a minute.', details: {} } };
          return;
        }
      }
      throw err;
    }
  };
  const params = <S extends z.ZodType>(schema: S, ctx: Ctx): z.infer<S> => {
    const parsed = schema.safeParse(ctx.params);
    if (!parsed.success) throw new errors.NotFoundError('This link does not exist. Check that it was copied whole.');
    return parsed.data;
  };
  return {
    async view(ctx: Ctx) {
      await guarded(ctx, async () => {
        const { token } = params(tokenParam, ctx);
        respond(ctx, buyerViewResponseSchema, { data: await shares(strapi).buyerView(token, { open: ctx.query.open === '1' }) });
      });
    },
    async page(ctx: Ctx) {
      await guarded(ctx, async () => {
        const { token, file, page } = params(pageParam, ctx);
        const preview = await shares(strapi).buyerPage(token, file, page);
        ctx.status = 200;
        ctx.type = 'image/webp';
        ctx.set('x-content-type-options', 'nosniff');
        ctx.body = preview.image;
      });
    },
    async file(ctx: Ctx) {
      await guarded(ctx, async () => {
        const { token, file } = params(fileParam, ctx);
        const out = await shares(strapi).buyerFile(token, file);
        ctx.status = 200;
        ctx.type = out.mime;
        ctx.set('x-content-type-options', 'nosniff');
        ctx.set('content-security-policy', "sandbox; default-src 'none'");
        ctx.set('content-disposition', contentDisposition(out.filename, { type: out.inline ? 'inline' : 'attachment' }));
        ctx.body = Buffer.from(out.bytes);
      });
    },
  };
};
