import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { subscriptionSchema, viewSchema } from '../../shared/contracts';
import { getService } from '../utils/get-service';
import { parseOrThrow } from '../utils/validation';

const listQuery = z.object({
  filter: z.enum(['all', 'unread', 'action_required'], { error: 'filter must be all, unread or action_required' }).default('all'),
  page: z.coerce.number().int().min(1, { error: 'page must be 1 or more' }).default(1),
  pageSize: z.coerce.number().int().min(1).max(100, { error: 'pageSize must be at most 100' }).default(20),
});
const noticeParam = z.object({ id: z.coerce.number({ error: 'id must be a notice number' }).int().positive({ error: 'id must be a notice number' }) });

const userOf = (ctx: any): number => {
  const id = ctx.state.user?.id;
  if (!id) throw new errors.UnauthorizedError('Sign in first.');
  return Number(id);
};

/** The rep's side of notices: inbox, acknowledgements, subscription, and view/download logging. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const notices = () => getService(strapi, 'notices');
  return {
    async find(ctx: any) {
      const q = parseOrThrow(listQuery, ctx.query, 'The query');
      const { data, total } = await notices().inbox(userOf(ctx), q);
      ctx.body = { data, meta: { pagination: { page: q.page, pageSize: q.pageSize, total, pageCount: Math.ceil(total / q.pageSize) } } };
    },
    async count(ctx: any) {
      ctx.body = { data: await notices().unreadCount(userOf(ctx)) };
    },
    async read(ctx: any) {
      const { id } = parseOrThrow(noticeParam, ctx.params, 'The URL');
      if (!(await notices().markRead(userOf(ctx), id))) throw new errors.NotFoundError(`You have no notice ${id}.`);
      ctx.body = { data: { id, read: true } };
    },
    async acknowledge(ctx: any) {
      const { id } = parseOrThrow(noticeParam, ctx.params, 'The URL');
      const ack = await notices().acknowledge(userOf(ctx), id, 'portal');
      if (!ack) throw new errors.NotFoundError(`You have no notice ${id}.`);
      ctx.body = { data: { id, ...ack } };
    },
    /** GET /acks/:token from an email: no sign-in, the signed token names rep and notice. */
    async acknowledgeByLink(ctx: any) {
      const token = notices().verifyAckToken(String(ctx.params.token ?? ''));
      const portal = (strapi.config.get('plugin::change-notices.portalUrl') as string).replace(/\/$/, '');
      if (!token) {
        ctx.status = 400;
        ctx.type = 'text/plain';
        ctx.body = 'This acknowledgement link is not valid. Open your notices in Candor to acknowledge.';
        return;
      }
      const ack = await notices().acknowledge(token.userId, token.noticeId, 'email');
      ctx.redirect(`${portal}/notices?acknowledged=${ack ? token.noticeId : ''}`);
    },
    async getSubscription(ctx: any) {
      ctx.body = { data: await notices().subscription(userOf(ctx)) };
    },
    async putSubscription(ctx: any) {
      const sub = parseOrThrow(subscriptionSchema, ctx.request.body?.data ?? ctx.request.body, 'The subscription');
      ctx.body = { data: await notices().saveSubscription(userOf(ctx), sub) };
    },
    async recordView(ctx: any) {
      const v = parseOrThrow(viewSchema, ctx.request.body?.data ?? ctx.request.body, 'The view');
      await notices().recordView(userOf(ctx), v.collateral, v.action);
      ctx.status = 204;
    },
  };
};
