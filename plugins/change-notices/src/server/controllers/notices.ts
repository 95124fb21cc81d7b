import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import {
  SUBJECT_KINDS,
  noticeListQuerySchema,
  type AdminDelivery,
  type AdminNoticeDetail,
  type AdminNoticeListResponse,
  type Channel,
  type ChannelCounts,
  type DeadLetter,
  type NoticeSubject,
} from '../../shared/contracts';
import { TABLES, parseJson, tableIn, toMillis } from '../database/tables';
import { OUTBOX_TOPICS } from '../services/outbox';
import { getService } from '../utils/get-service';
import { parseOrThrow } from '../utils/validation';

const idParam = z.object({ id: z.coerce.number({ error: 'id must be a number' }).int().positive({ error: 'id must be a number' }) });
const iso = (v: unknown) => (v == null ? null : new Date(toMillis(v)).toISOString());
const deliverKey = (deliveryId: number) => `deliver:${deliveryId}`;

/** The marketer's view of notices (admin API): delivery per channel, who acknowledged, dead letters. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const t = (table: string) => tableIn(strapi, null, table);

  /**
   * The outbox rows that send these deliveries, by delivery id. A delivery whose row is dead stays
   * `pending` in cn_deliveries (a retry may still send it), so "failed" is only known from here.
   */
  async function outboxRowsOf(deliveryIds: number[]): Promise<Map<number, any>> {
    const rows: any[] = [];
    for (let i = 0; i < deliveryIds.length; i += 500) {
      const keys = deliveryIds.slice(i, i + 500).map(deliverKey);
      rows.push(...(await t(TABLES.outbox).whereIn('idempotency_key', keys).select('id', 'idempotency_key', 'state', 'attempts', 'last_error')));
    }
    return new Map(rows.map((o) => [Number(String(o.idempotency_key).slice('deliver:'.length)), o]));
  }

  /** Each notice's subject with the title its version recorded (a claim's statement), else the headline. */
  async function subjectsOf(notices: any[]): Promise<Map<number, NoticeSubject>> {
    const documentIds = [...new Set(notices.map((n) => String(n.subject_document_id)))];
    const versions: any[] = documentIds.length
      ? await t(TABLES.versions).whereIn('subject_document_id', documentIds).select('subject_uid', 'subject_document_id', 'number', 'title')
      : [];
    const titleOf = (n: any) => {
      const same = versions.filter((v) => v.subject_uid === n.subject_uid && v.subject_document_id === n.subject_document_id);
      const exact = n.version == null ? undefined : same.find((v) => Number(v.number) === Number(n.version));
      const latest = same.sort((a, b) => Number(b.number) - Number(a.number))[0];
      return (exact ?? latest)?.title ?? n.headline;
    };
    return new Map(
      notices.map((n) => [
        Number(n.id),
        {
          kind: n.subject_uid === SUBJECT_KINDS.claim ? 'claim' : 'collateral',
          documentId: String(n.subject_document_id),
          version: n.version == null ? null : Number(n.version),
          title: String(titleOf(n)),
        },
      ])
    );
  }

  const stateOf = (delivery: any, outbox: any | undefined): AdminDelivery['state'] =>
    outbox?.state === 'dead' && delivery.state !== 'sent' ? 'failed' : delivery.state;

  return {
    async find(ctx: any) {
      const q = parseOrThrow(noticeListQuerySchema, ctx.query, 'The query');
      const filtered = () => (q.urgency ? t(TABLES.notices).where({ urgency: q.urgency }) : t(TABLES.notices));
      const [{ n }] = await filtered().count({ n: '*' });
      const rows = await filtered()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize);
      const ids = rows.map((r: any) => Number(r.id));
      const deliveries: any[] = ids.length ? await t(TABLES.deliveries).whereIn('notice_id', ids).select('id', 'notice_id', 'channel', 'state') : [];
      const outbox = await outboxRowsOf(deliveries.filter((d) => d.state === 'pending').map((d) => Number(d.id)));
      const acks: any[] = ids.length ? await t(TABLES.acks).whereIn('notice_id', ids).select('notice_id').count({ n: '*' }).groupBy('notice_id') : [];
      const subjects = await subjectsOf(rows);
      const channelsOf = (noticeId: number) => {
        const channels: Partial<Record<Channel, ChannelCounts>> = {};
        for (const d of deliveries) {
          if (Number(d.notice_id) !== noticeId) continue;
          const counts = (channels[d.channel as Channel] ??= {});
          const state = stateOf(d, outbox.get(Number(d.id)));
          counts[state] = (counts[state] ?? 0) + 1;
        }
        return channels;
      };
      const body: AdminNoticeListResponse = {
        data: rows.map((r: any) => ({
          id: Number(r.id),
          urgency: r.urgency,
          headline: r.headline,
          whatChanged: r.what_changed,
          createdAt: iso(r.created_at)!,
          actor: r.actor_name,
          subject: subjects.get(Number(r.id))!,
          audience: Number(r.audience),
          channels: channelsOf(Number(r.id)),
          acknowledged: Number(acks.find((a) => Number(a.notice_id) === Number(r.id))?.n ?? 0),
        })),
        meta: { pagination: { page: q.page, pageSize: q.pageSize, total: Number(n), pageCount: Math.ceil(Number(n) / q.pageSize) } },
      };
      ctx.body = body;
    },

    async findOne(ctx: any) {
      const { id } = parseOrThrow(idParam, ctx.params, 'The URL');
      const notice = await t(TABLES.notices).where({ id }).first();
      if (!notice) throw new errors.NotFoundError(`Notice ${id} does not exist.`);
      const deliveries: any[] = await t(TABLES.deliveries).where({ notice_id: id }).orderBy('id');
      const acks: any[] = await t(TABLES.acks).where({ notice_id: id });
      const userIds = [...new Set(deliveries.map((d) => d.user_id).filter((u: unknown) => u != null).map(Number))];
      const users: { id: number; username: string; email: string }[] = userIds.length
        ? await strapi.db.query('plugin::users-permissions.user').findMany({ where: { id: { $in: userIds } }, select: ['id', 'username', 'email'], orderBy: { username: 'asc' } })
        : [];
      const outbox = await outboxRowsOf(deliveries.map((d) => Number(d.id)));
      const channelView = (d: any): AdminDelivery => {
        const o = outbox.get(Number(d.id));
        return {
          channel: d.channel,
          target: d.target,
          state: stateOf(d, o),
          sentAt: iso(d.sent_at),
          readAt: iso(d.read_at),
          attempts: o ? Number(o.attempts) : 0,
          error: d.last_error ?? o?.last_error ?? null,
          outboxId: o ? Number(o.id) : null,
        };
      };
      const data: AdminNoticeDetail = {
        id,
        urgency: notice.urgency,
        headline: notice.headline,
        whatChanged: notice.what_changed,
        why: notice.why,
        whatToDo: notice.what_to_do,
        link: notice.link,
        details: parseJson<string[]>(notice.details),
        createdAt: iso(notice.created_at)!,
        actor: notice.actor_name,
        subject: (await subjectsOf([notice])).get(id)!,
        audience: Number(notice.audience),
        acknowledged: acks.length,
        recipients: users.map((u) => {
          const ack = acks.find((a) => Number(a.user_id) === u.id);
          return {
            userId: u.id,
            name: u.username,
            email: u.email,
            acknowledgedAt: iso(ack?.created_at),
            acknowledgedVia: ack?.via ?? null,
            deliveries: deliveries.filter((d) => Number(d.user_id) === u.id).map(channelView),
          };
        }),
        teamChannels: deliveries.filter((d) => d.user_id == null).map(channelView),
      };
      ctx.body = { data };
    },

    async deadLetters(ctx: any) {
      const rows: any[] = await t(TABLES.outbox).where({ state: 'dead' }).orderBy('id', 'desc').limit(200);
      const payloads = rows.map((r) => parseJson<Record<string, unknown>>(r.payload));
      // Name the notice, channel and target of a failed delivery: "retry 4711" says nothing to a marketer.
      const deliveryIds = rows.flatMap((r, i) => (r.topic === OUTBOX_TOPICS.noticeDeliver && Number.isInteger(payloads[i]?.deliveryId) ? [Number(payloads[i]!.deliveryId)] : []));
      const deliveries: any[] = deliveryIds.length
        ? await t(TABLES.deliveries)
            .leftJoin(TABLES.notices, `${TABLES.notices}.id`, `${TABLES.deliveries}.notice_id`)
            .whereIn(`${TABLES.deliveries}.id`, deliveryIds)
            .select(`${TABLES.deliveries}.id as id`, 'notice_id', 'channel', 'target', 'headline')
        : [];
      const data: DeadLetter[] = rows.map((r, i) => {
        const d = deliveries.find((x) => Number(x.id) === Number(payloads[i]?.deliveryId));
        return {
          id: Number(r.id),
          topic: r.topic,
          key: r.idempotency_key,
          attempts: Number(r.attempts),
          error: r.last_error,
          createdAt: iso(r.created_at)!,
          payload: payloads[i],
          delivery: d && r.topic === OUTBOX_TOPICS.noticeDeliver ? { noticeId: Number(d.notice_id), headline: d.headline ?? null, channel: d.channel, target: d.target } : null,
        };
      });
      ctx.body = { data };
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
