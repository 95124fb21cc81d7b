import type { Core } from '@strapi/strapi';
import {
  SUBJECT_KINDS,
  type AdminDelivery,
  type AdminNoticeDetail,
  type AdminNoticeListResponse,
  type Channel,
  type ChannelCounts,
  type DeadLetter,
  type NoticeListQuery,
  type NoticeSubject,
} from '../../shared/contracts';
import { TABLES, parseJson, tableIn } from '../database/tables';
import type { OutboxRow } from '../outbox';
import { getService } from '../services';
import { APP_UIDS } from '../subjects';
import { iso, type AckRow, type DeliveryRow, type NoticeRow } from './rows';

interface VersionTitleRow {
  subject_uid: string;
  subject_document_id: string;
  number: number;
  title: string;
}

/**
 * The marketer's view of notices (the admin's Change notices page): delivery per channel, who
 * acknowledged, dead letters. A read model over the notices, deliveries, acks, versions and outbox.
 */
export const createNoticesAdminService = ({ strapi }: { strapi: Core.Strapi }) => {
  const t = (table: string) => tableIn(strapi, null, table);

  /**
   * The outbox rows that send these deliveries, by delivery id. A delivery whose row is dead stays
   * `pending` in cn_deliveries (a retry may still send it), so "failed" is only known from here.
   */
  async function outboxRowsOf(deliveryIds: number[]): Promise<Map<number, OutboxRow>> {
    const found = await getService(strapi, 'outbox').rowsFor('notice.deliver', deliveryIds.map((deliveryId) => ({ deliveryId })));
    return new Map(found.map(({ payload, row }) => [payload.deliveryId, row]));
  }

  /** Each notice's subject with the title its version recorded (a claim's statement), else the headline. */
  async function subjectsOf(notices: NoticeRow[]): Promise<Map<number, NoticeSubject>> {
    const documentIds = [...new Set(notices.map((n) => String(n.subject_document_id)))];
    const versions: VersionTitleRow[] = documentIds.length
      ? await t(TABLES.versions).whereIn('subject_document_id', documentIds).select('subject_uid', 'subject_document_id', 'number', 'title')
      : [];
    const titleOf = (n: NoticeRow) => {
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

  const stateOf = (delivery: Pick<DeliveryRow, 'state'>, outbox: OutboxRow | undefined): AdminDelivery['state'] =>
    outbox?.state === 'dead' && delivery.state !== 'sent' ? 'failed' : delivery.state;

  return {
    async list(q: NoticeListQuery): Promise<AdminNoticeListResponse> {
      const filtered = () => (q.urgency ? t(TABLES.notices).where({ urgency: q.urgency }) : t(TABLES.notices));
      const [{ n }] = await filtered().count({ n: '*' });
      const rows: NoticeRow[] = await filtered()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize);
      const ids = rows.map((r) => Number(r.id));
      const deliveries: Pick<DeliveryRow, 'id' | 'notice_id' | 'channel' | 'state'>[] = ids.length ? await t(TABLES.deliveries).whereIn('notice_id', ids).select('id', 'notice_id', 'channel', 'state') : [];
      const outbox = await outboxRowsOf(deliveries.filter((d) => d.state === 'pending').map((d) => Number(d.id)));
      const acks: { notice_id: number; n: number | string }[] = ids.length ? await t(TABLES.acks).whereIn('notice_id', ids).select('notice_id').count({ n: '*' }).groupBy('notice_id') : [];
      const subjects = await subjectsOf(rows);
      const channelsOf = (noticeId: number) => {
        const channels: Partial<Record<Channel, ChannelCounts>> = {};
        for (const d of deliveries) {
          if (Number(d.notice_id) !== noticeId) continue;
          const counts = (channels[d.channel] ??= {});
          const state = stateOf(d, outbox.get(Number(d.id)));
          counts[state] = (counts[state] ?? 0) + 1;
        }
        return channels;
      };
      return {
        data: rows.map((r) => ({
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
    },

    /** One notice with every recipient and delivery; null when there is no such notice. */
    async detail(id: number): Promise<AdminNoticeDetail | null> {
      const notice: NoticeRow | undefined = await t(TABLES.notices).where({ id }).first();
      if (!notice) return null;
      const deliveries: DeliveryRow[] = await t(TABLES.deliveries).where({ notice_id: id }).orderBy('id');
      const acks: AckRow[] = await t(TABLES.acks).where({ notice_id: id });
      const userIds = [...new Set(deliveries.flatMap((d) => (d.user_id == null ? [] : [Number(d.user_id)])))];
      const users: { id: number; username: string; email: string }[] = userIds.length
        ? await strapi.db.query(APP_UIDS.user).findMany({ where: { id: { $in: userIds } }, select: ['id', 'username', 'email'], orderBy: { username: 'asc' } })
        : [];
      const outbox = await outboxRowsOf(deliveries.map((d) => Number(d.id)));
      const channelView = (d: DeliveryRow): AdminDelivery => {
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
      return {
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
    },

    /** The newest dead letters; a failed delivery names its notice, channel and target. */
    async deadLetters(): Promise<DeadLetter[]> {
      const rows = await getService(strapi, 'outbox').deadLetters(200);
      const deliveryIdOf = (r: (typeof rows)[number]): number | null => {
        if (r.topic !== 'notice.deliver') return null;
        const p = r.parsed as { deliveryId?: unknown } | null;
        return typeof p?.deliveryId === 'number' && Number.isInteger(p.deliveryId) ? p.deliveryId : null;
      };
      // Name the notice, channel and target of a failed delivery: "retry 4711" says nothing to a marketer.
      const deliveryIds = rows.flatMap((r) => deliveryIdOf(r) ?? []);
      const deliveries: { id: number; notice_id: number; channel: Channel; target: string; headline: string | null }[] = deliveryIds.length
        ? await t(TABLES.deliveries)
            .leftJoin(TABLES.notices, `${TABLES.notices}.id`, `${TABLES.deliveries}.notice_id`)
            .whereIn(`${TABLES.deliveries}.id`, deliveryIds)
            .select(`${TABLES.deliveries}.id as id`, 'notice_id', 'channel', 'target', 'headline')
        : [];
      return rows.map((r) => {
        const deliveryId = deliveryIdOf(r);
        const d = deliveryId == null ? undefined : deliveries.find((x) => Number(x.id) === deliveryId);
        return {
          id: Number(r.id),
          topic: r.topic,
          key: r.idempotency_key,
          attempts: Number(r.attempts),
          error: r.last_error,
          createdAt: iso(r.created_at)!,
          payload: r.parsed,
          delivery: d ? { noticeId: Number(d.notice_id), headline: d.headline ?? null, channel: d.channel, target: d.target } : null,
        };
      });
    },
  };
};

export type NoticesAdminService = ReturnType<typeof createNoticesAdminService>;

