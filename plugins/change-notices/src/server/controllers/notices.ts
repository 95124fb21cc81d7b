import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { TABLES, parseJson, tableIn, toMillis } from '../database/tables';
import { getService } from '../utils/get-service';
import { parseOrThrow } from '../utils/validation';

const page = z.object({ page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(100).default(25) });
const idParam = z.object({ id: z.coerce.number({ error: 'id must be a number' }).int().positive({ error: 'id must be a number' }) });
const iso = (v: unknown) => (v == null ? null : new Date(toMillis(v)).toISOString());

/** The marketer's view of notices (admin API): delivery per channel, who acknowledged, dead letters. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const t = (table: string) => tableIn(strapi, null, table);
  return {
    async find(ctx: any) {
      const q = parseOrThrow(page, ctx.query, 'The query');
      const [{ n }] = await t(TABLES.notices).count({ n: '*' });
      const rows = await t(TABLES.notices).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize);
      const ids = rows.map((r: any) => Number(r.id));
      const byState = ids.length
        ? await t(TABLES.deliveries).whereIn('notice_id', ids).select('notice_id', 'channel', 'state').count({ n: '*' }).groupBy('notice_id', 'channel', 'state')
        : [];
      const acks = ids.length ? await t(TABLES.acks).whereIn('notice_id', ids).select('notice_id').count({ n: '*' }).groupBy('notice_id') : [];
      ctx.body = {
        data: rows.map((r: any) => {
          const channels: Record<string, Record<string, number>> = {};
          for (const s of byState.filter((x: any) => Number(x.notice_id) === Number(r.id)) as any[]) (channels[s.channel] ??= {})[s.state] = Number(s.n);
          return {
            id: Number(r.id),
            urgency: r.urgency,
            headline: r.headline,
            whatChanged: r.what_changed,
            createdAt: iso(r.created_at),
            audience: Number(r.audience),
            channels,
            acknowledged: Number((acks.find((a: any) => Number(a.notice_id) === Number(r.id)) as any)?.n ?? 0),
          };
        }),
        meta: { pagination: { ...q, total: Number(n), pageCount: Math.ceil(Number(n) / q.pageSize) } },
      };
    },

    async findOne(ctx: any) {
      const { id } = parseOrThrow(idParam, ctx.params, 'The URL');
      const notice = await t(TABLES.notices).where({ id }).first();
      if (!notice) throw new errors.NotFoundError(`Notice ${id} does not exist.`);
      const deliveries = await t(TABLES.deliveries).where({ notice_id: id }).orderBy('id');
      const acks = await t(TABLES.acks).where({ notice_id: id });
      const userIds = [...new Set(deliveries.map((d: any) => d.user_id).filter((u: unknown) => u != null).map(Number))];
      const users: { id: number; username: string; email: string }[] = userIds.length
        ? await strapi.db.query('plugin::users-permissions.user').findMany({ where: { id: { $in: userIds } }, select: ['id', 'username', 'email'] })
        : [];
      const dead = await t(TABLES.outbox).whereIn('idempotency_key', deliveries.map((d: any) => `deliver:${d.id}`)).select('id', 'idempotency_key', 'state', 'attempts', 'last_error');
      const outboxOf = (deliveryId: number) => dead.find((o: any) => o.idempotency_key === `deliver:${deliveryId}`);
      const channelView = (d: any) => {
        const o = outboxOf(Number(d.id));
        return { channel: d.channel, target: d.target, state: o?.state === 'dead' ? 'dead' : d.state, sentAt: iso(d.sent_at), readAt: iso(d.read_at), attempts: o ? Number(o.attempts) : 0, error: d.last_error ?? o?.last_error ?? null, outboxId: o ? Number(o.id) : null };
      };
      ctx.body = {
        data: {
          id,
          urgency: notice.urgency,
          headline: notice.headline,
          whatChanged: notice.what_changed,
          why: notice.why,
          whatToDo: notice.what_to_do,
          link: notice.link,
          details: parseJson<string[]>(notice.details),
          createdAt: iso(notice.created_at),
          recipients: users.map((u) => {
            const ack = acks.find((a: any) => Number(a.user_id) === u.id);
            return { userId: u.id, name: u.username, email: u.email, acknowledgedAt: iso(ack?.created_at), acknowledgedVia: ack?.via ?? null, deliveries: deliveries.filter((d: any) => Number(d.user_id) === u.id).map(channelView) };
          }),
          teamChannels: deliveries.filter((d: any) => d.user_id == null).map(channelView),
        },
      };
    },

    async deadLetters(ctx: any) {
      const rows = await t(TABLES.outbox).where({ state: 'dead' }).orderBy('id', 'desc').limit(200);
      ctx.body = {
        data: rows.map((r: any) => ({ id: Number(r.id), topic: r.topic, key: r.idempotency_key, attempts: Number(r.attempts), error: r.last_error, createdAt: iso(r.created_at), payload: parseJson(r.payload) })),
      };
    },

    async retry(ctx: any) {
      const { id } = parseOrThrow(idParam, ctx.params, 'The URL');
      if (!(await getService(strapi, 'dispatcher').retry(id))) throw new errors.NotFoundError(`No dead letter ${id}.`);
      getService(strapi, 'dispatcher').kick();
      ctx.body = { data: { id, state: 'pending' } };
    },

    /** The weekly update as it would go out now (the admin page previews it). */
    async weeklyUpdate(ctx: any) {
      ctx.body = { data: await getService(strapi, 'digests').weeklyUpdate() };
    },

    async outboxStats(ctx: any) {
      ctx.body = { data: await getService(strapi, 'outbox').stats() };
    },
  };
};
