import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import {
  acknowledgementResponseSchema,
  adminNoticeDetailResponseSchema,
  adminNoticeListResponseSchema,
  deadLettersResponseSchema,
  inboxCountResponseSchema,
  inboxResponseSchema,
  noticeListQuerySchema,
  noticeReadResponseSchema,
  outboxStatsResponseSchema,
  retryResponseSchema,
  subscriptionResponseSchema,
  subscriptionSchema,
  viewSchema,
  weeklyUpdateResponseSchema,
} from '../../shared/contracts';
import { pluginConfig } from '../config';
import { bodyOf, idParam, respond, userIdOf, type Ctx } from '../common/http';
import { parseOrThrow } from '../common/validation';
import { getService } from '../services';

const listQuery = z.object({
  filter: z.enum(['all', 'unread', 'action_required'], { error: 'filter must be all, unread or action_required' }).default('all'),
  page: z.coerce.number().int().min(1, { error: 'page must be 1 or more' }).default(1),
  pageSize: z.coerce.number().int().min(1).max(100, { error: 'pageSize must be at most 100' }).default(20),
});
const noticeParam = z.object({ id: idParam('a notice number') });
const outboxParam = z.object({ id: idParam('a number') });

/** The rep's side of notices (content API): inbox, acknowledgements, subscription, view logging. */
export const inboxController = ({ strapi }: { strapi: Core.Strapi }) => {
  const inbox = () => getService(strapi, 'inbox');
  return {
    async find(ctx: Ctx) {
      const q = parseOrThrow(listQuery, ctx.query, 'The query');
      const { data, total } = await inbox().inbox(userIdOf(ctx), q);
      respond(ctx, inboxResponseSchema, { data, meta: { pagination: { page: q.page, pageSize: q.pageSize, total, pageCount: Math.ceil(total / q.pageSize) } } });
    },
    async count(ctx: Ctx) {
      respond(ctx, inboxCountResponseSchema, { data: await inbox().unreadCount(userIdOf(ctx)) });
    },
    async read(ctx: Ctx) {
      const { id } = parseOrThrow(noticeParam, ctx.params, 'The URL');
      if (!(await inbox().markRead(userIdOf(ctx), id))) throw new errors.NotFoundError(`You have no notice ${id}.`);
      respond(ctx, noticeReadResponseSchema, { data: { id, read: true } });
    },
    async acknowledge(ctx: Ctx) {
      const { id } = parseOrThrow(noticeParam, ctx.params, 'The URL');
      const ack = await inbox().acknowledge(userIdOf(ctx), id, 'portal');
      if (!ack) throw new errors.NotFoundError(`You have no notice ${id}.`);
      respond(ctx, acknowledgementResponseSchema, { data: { id, ...ack } });
    },
    /** GET /acks/:token from an email: no sign-in, the signed token names rep and notice. */
    async acknowledgeByLink(ctx: Ctx) {
      const token = inbox().verifyAckToken(String(ctx.params.token ?? ''));
      if (!token) {
        ctx.status = 400;
        ctx.type = 'text/plain';
        ctx.body = 'This acknowledgement link is not valid. Open your notices in Candor to acknowledge.';
        return;
      }
      const ack = await inbox().acknowledge(token.userId, token.noticeId, 'email');
      ctx.redirect(`${pluginConfig(strapi).portalUrl}/notices?acknowledged=${ack ? token.noticeId : ''}`);
    },
    async getSubscription(ctx: Ctx) {
      respond(ctx, subscriptionResponseSchema, { data: await inbox().subscription(userIdOf(ctx)) });
    },
    async putSubscription(ctx: Ctx) {
      const userId = userIdOf(ctx);
      const sub = parseOrThrow(subscriptionSchema, bodyOf(ctx), 'The subscription');
      respond(ctx, subscriptionResponseSchema, { data: await inbox().saveSubscription(userId, sub) });
    },
    async recordView(ctx: Ctx) {
      const userId = userIdOf(ctx);
      const v = parseOrThrow(viewSchema, bodyOf(ctx), 'The view');
      await inbox().recordView(userId, v.collateral, v.action);
      ctx.status = 204;
    },
  };
};

/** The marketer's view of notices (admin API): delivery per channel, who acknowledged, dead letters. */
export const noticesAdminController = ({ strapi }: { strapi: Core.Strapi }) => {
  const model = () => getService(strapi, 'notices-admin');
  return {
    async find(ctx: Ctx) {
      respond(ctx, adminNoticeListResponseSchema, await model().list(parseOrThrow(noticeListQuerySchema, ctx.query, 'The query')));
    },
    async findOne(ctx: Ctx) {
      const { id } = parseOrThrow(outboxParam, ctx.params, 'The URL');
      const data = await model().detail(id);
      if (!data) throw new errors.NotFoundError(`Notice ${id} does not exist.`);
      respond(ctx, adminNoticeDetailResponseSchema, { data });
    },
    async deadLetters(ctx: Ctx) {
      respond(ctx, deadLettersResponseSchema, { data: await model().deadLetters() });
    },
    async retry(ctx: Ctx) {
      const { id } = parseOrThrow(outboxParam, ctx.params, 'The URL');
      const dispatcher = getService(strapi, 'dispatcher');
      if (!(await dispatcher.retry(id))) throw new errors.NotFoundError(`No dead letter ${id}.`);
      dispatcher.kick();
      respond(ctx, retryResponseSchema, { data: { id, state: 'pending' } });
    },
    /** The weekly update as it would go out now (the admin page previews it). */
    async weeklyUpdate(ctx: Ctx) {
      respond(ctx, weeklyUpdateResponseSchema, { data: await getService(strapi, 'digests').weeklyUpdate() });
    },
    async outboxStats(ctx: Ctx) {
      respond(ctx, outboxStatsResponseSchema, { data: await getService(strapi, 'outbox').stats() });
    },
  };
};
