import crypto from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { APP_UIDS } from '../subjects';
import type { InboxNotice, Subscription } from '../../shared/contracts';
import { pluginConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { TABLES, tableIn, toMillis } from '../database/tables';
import { inboxJoin, toInboxNotice, toSubscription, type AckRow, type DeliveryRow, type Millis, type NoticeRow } from './rows';

const { deliveries: D, notices: N, acks: A } = TABLES;

/**
 * The rep's side of notices: the inbox and its counts, read and acknowledged state, the signed
 * acknowledgement links in emails, the subscription, and views and downloads (the audience of a
 * later retraction).
 */
export const createInboxService = ({ strapi }: { strapi: Core.Strapi }) => {
  const t = (table: string) => tableIn(strapi, null, table);
  const secret = () => {
    const keys = strapi.config.get('server.app.keys');
    return crypto.createHash('sha256').update(`candor-ack:${(Array.isArray(keys) ? keys : []).join(',')}`).digest('hex');
  };
  const sign = (body: string) => crypto.createHmac('sha256', secret()).update(body).digest('base64url');

  return {
    /** The rep's inbox, newest first, with read and acknowledged state. */
    async inbox(userId: number, opts: { filter: 'all' | 'unread' | 'action_required'; page: number; pageSize: number }): Promise<{ data: InboxNotice[]; total: number }> {
      const base = () => {
        const q = inboxJoin(strapi).andWhere(`${D}.user_id`, userId);
        if (opts.filter === 'unread') q.whereNull(`${D}.read_at`);
        if (opts.filter === 'action_required') q.andWhere(`${N}.urgency`, 'action_required').whereNull(`${A}.id`);
        return q;
      };
      const [{ n }] = await base().count({ n: '*' });
      const rows: (NoticeRow & { read_at: Millis | null; acked_at: Millis | null })[] = await base()
        .select(`${N}.*`, `${D}.read_at as read_at`, `${A}.created_at as acked_at`)
        .orderBy(`${N}.created_at`, 'desc')
        .orderBy(`${N}.id`, 'desc')
        .limit(opts.pageSize)
        .offset((opts.page - 1) * opts.pageSize);
      return { data: rows.map(toInboxNotice), total: Number(n) };
    },

    async unreadCount(userId: number): Promise<{ unread: number; actionRequired: number }> {
      const [{ unread }] = await t(D).where({ user_id: userId, channel: 'inbox' }).whereNull('read_at').count({ unread: '*' });
      const [{ open }] = await inboxJoin(strapi).andWhere(`${D}.user_id`, userId).andWhere(`${N}.urgency`, 'action_required').whereNull(`${A}.id`).count({ open: '*' });
      return { unread: Number(unread), actionRequired: Number(open) };
    },

    /** Marks read; false when the rep never received that notice. */
    async markRead(userId: number, noticeId: number): Promise<boolean> {
      const delivered: Pick<DeliveryRow, 'id' | 'read_at'> | undefined = await t(D).where({ user_id: userId, notice_id: noticeId, channel: 'inbox' }).first('id', 'read_at');
      if (!delivered) return false;
      if (delivered.read_at == null) await t(D).where({ id: delivered.id }).update({ read_at: Date.now() });
      return true;
    },

    /** Acknowledges (idempotent: the first acknowledgement stands); null when the rep never received it. */
    async acknowledge(userId: number, noticeId: number, via: AckRow['via']): Promise<{ acknowledgedAt: string } | null> {
      const delivered = await t(D).where({ user_id: userId, notice_id: noticeId }).first('id');
      if (!delivered) return null;
      await this.markRead(userId, noticeId);
      await t(A).insert({ notice_id: noticeId, user_id: userId, via, created_at: Date.now() }).onConflict(['notice_id', 'user_id']).ignore();
      const ack: Pick<AckRow, 'created_at'> = await t(A).where({ notice_id: noticeId, user_id: userId }).first('created_at');
      return { acknowledgedAt: new Date(toMillis(ack.created_at)).toISOString() };
    },

    /** HMAC token for the acknowledgement link in an email: proves the rep and the notice, no sign-in needed. */
    ackToken(noticeId: number, userId: number): string {
      const body = `${noticeId}.${userId}`;
      return `${body}.${sign(body)}`;
    },

    /** The acknowledgement link an email carries. */
    ackLink(noticeId: number, userId: number): string {
      return `${pluginConfig(strapi).publicUrl}/api/${PLUGIN_ID}/acks/${this.ackToken(noticeId, userId)}`;
    },

    verifyAckToken(token: string): { noticeId: number; userId: number } | null {
      const m = /^([1-9]\d{0,15})\.([1-9]\d{0,15})\.([A-Za-z0-9_-]{43})$/.exec(token);
      if (!m) return null;
      const a = Buffer.from(this.ackToken(Number(m[1]), Number(m[2])));
      const b = Buffer.from(token);
      return a.length === b.length && crypto.timingSafeEqual(a, b) ? { noticeId: Number(m[1]), userId: Number(m[2]) } : null;
    },

    async subscription(userId: number): Promise<Subscription> {
      return toSubscription(await t(TABLES.subscriptions).where({ user_id: userId }).first());
    },

    /**
     * Saves a subscription. Products and regions must be ones Candor knows (their slugs): anything
     * else would match nothing, forever, without the rep noticing.
     */
    async saveSubscription(userId: number, sub: Subscription): Promise<Subscription> {
      const known = async (uid: typeof APP_UIDS.product | typeof APP_UIDS.region, wanted: string[]) => {
        if (!wanted.length) return [];
        const rows = (await strapi.db.query(uid).findMany({ where: { slug: { $in: wanted } }, select: ['slug'] })) as { slug: string }[];
        const have = new Set(rows.map((r) => r.slug));
        return wanted.filter((w) => !have.has(w));
      };
      const problems = [
        ...(await known(APP_UIDS.product, sub.products)).map((v) => ({ path: ['products'], message: `products: no product has the slug “${v.slice(0, 60)}”`, name: 'ValidationError' })),
        ...(await known(APP_UIDS.region, sub.regions)).map((v) => ({ path: ['regions'], message: `regions: no region has the slug “${v.slice(0, 60)}”`, name: 'ValidationError' })),
      ];
      if (problems.length) throw new errors.ValidationError(`The subscription is invalid: ${problems.map((p) => p.message).join('; ')}`, { errors: problems });
      const row = {
        user_id: userId,
        products: JSON.stringify([...new Set(sub.products)]),
        regions: JSON.stringify([...new Set(sub.regions)]),
        kinds: JSON.stringify(sub.kinds),
        channels: JSON.stringify(sub.channels),
        cadence: sub.cadence,
        updated_at: Date.now(),
      };
      await t(TABLES.subscriptions).insert(row).onConflict('user_id').merge();
      return sub;
    },

    async recordView(userId: number, collateralDocumentId: string, action: 'view' | 'download') {
      await t(TABLES.views).insert({ collateral_document_id: collateralDocumentId, user_id: userId, action, created_at: Date.now() });
    },
  };
};

export type InboxService = ReturnType<typeof createInboxService>;
