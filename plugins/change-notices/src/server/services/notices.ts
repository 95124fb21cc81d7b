import crypto from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import {
  DEFAULT_SUBSCRIPTION,
  STANDING_LABELS,
  SUBJECT_KINDS,
  type InboxNotice,
  type Standing,
  type Subscription,
  type SubjectUid,
  type Urgency,
} from '../../shared/contracts';
import type { PluginConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { TABLES, parseJson, tableIn, toMillis } from '../database/tables';
import { getService } from '../utils/get-service';
import { summarizeChanges } from '../utils/snapshot';
import { OUTBOX_TOPICS } from './outbox';
import type { OutboxJob } from './dispatcher';

const COLLATERAL = SUBJECT_KINDS.collateral;
const REP_ROLE = 'sales_rep';
const CHUNK = 500;
/** Version fields a standing notice already shows as Why and What to do now. */
const STANDING_TEXT_FIELDS = new Set(['standingReason', 'nowTrue']);

export interface NoticeRow {
  id: number;
  notice_key: string;
  urgency: Urgency;
  subject_uid: SubjectUid;
  subject_document_id: string;
  version: number | null;
  headline: string;
  what_changed: string;
  why: string | null;
  what_to_do: string;
  link: string;
  details: string;
  actor_name: string;
  audience: number;
  created_at: number | string;
  reminded_at: number | string | null;
}

export interface Recipient {
  id: number;
  email: string;
  username: string;
  subscription: Subscription;
}

/** What a notice says, before it is stored. */
export interface NoticeDraft {
  key: string;
  urgency: Urgency;
  uid: SubjectUid;
  documentId: string;
  version: number | null;
  headline: string;
  whatChanged: string;
  why: string | null;
  whatToDo: string;
  link: string;
  /** Extra lines for the email/Slack body (e.g. the affected material of a claim). */
  details: string[];
  actor: string;
}

const chunks = <T>(items: T[], size = CHUNK) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

export const createNoticesService = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;
  const t = (table: string, trx?: Knex.Transaction | null) => tableIn(strapi, trx, table);

  return {
    /** Turns a recorded version into the notice reps read: what changed, why, what to do now. */
    async compose(payload: { uid: SubjectUid; documentId: string; version: number; urgency: Urgency; actor: { name: string }; flagged?: string[] }): Promise<NoticeDraft | null> {
      const version = await getService(strapi, 'versions').get(payload.uid, payload.documentId, payload.version);
      if (!version) return null;
      const snap = version.snapshot as Record<string, any>;
      const portal = config().portalUrl.replace(/\/$/, '');
      const standing = version.standing as Standing;
      const first = version.number === 1;
      const standingChanged = !first && version.changes.some((c) => c.field === 'standing');
      // Nobody needs news of an item that was born retracted.
      if (first && standing === 'retracted') return null;
      const details: string[] = [];
      let headline: string;
      let whatToDo: string;
      let link: string;

      if (payload.uid === COLLATERAL) {
        link = `${portal}/collateral/${snap.slug}`;
        if (standingChanged && standing === 'retracted') {
          headline = `Retracted: ${snap.title}`;
          const replacement = snap.replacedBy?.label;
          whatToDo = `Stop using “${snap.title}” now${replacement ? `; use “${replacement}” instead` : ''}. Do not send it to customers again.`;
        } else if (standingChanged && standing === 'scaled_back') {
          headline = `Scaled back: ${snap.title}`;
          whatToDo = `Stop promising what it used to say. What is true now: ${snap.nowTrue}`;
        } else if (standingChanged && standing === 'confirmed') {
          headline = `Reconfirmed: ${snap.title}`;
          whatToDo = 'It is safe to use again as it stands.';
        } else {
          headline = `${first ? 'New' : 'Updated'} ${String(snap.kind ?? 'collateral').replace(/_/g, '-')}: ${snap.title}`;
          whatToDo = first ? 'Have a look and use it where it fits.' : 'Use the current version from now on; older copies are out of date.';
        }
      } else {
        const affected = payload.flagged?.length
          ? await strapi.documents(COLLATERAL).findMany({ status: 'published', filters: { documentId: { $in: payload.flagged } } as never, fields: ['title', 'slug'] as never })
          : [];
        for (const c of affected as unknown as { title: string; slug: string }[]) details.push(`Affected: ${c.title} (${portal}/collateral/${c.slug})`);
        const first = affected[0] as { slug?: string } | undefined;
        link = first?.slug ? `${portal}/collateral/${first.slug}` : `${portal}/notices`;
        const label = STANDING_LABELS[standing].toLowerCase();
        headline = standingChanged ? `Claim ${label === 'confirmed' ? 'reconfirmed' : label}: ${snap.statement}` : `Claim updated: ${snap.statement}`;
        whatToDo =
          standing === 'scaled_back'
            ? `Stop promising “${snap.statement}”. Say instead: ${snap.nowTrue}`
            : standing === 'retracted'
              ? `Stop promising “${snap.statement}” at all.`
              : `You may make this claim again: “${snap.statement}”.`;
        if (affected.length) whatToDo += affected.length === 1 ? ' Check the affected item below before you use it.' : ` Check the ${affected.length} affected items below before you use them.`;
      }
      return {
        key: `version:${payload.uid}:${payload.documentId}:v${payload.version}`,
        urgency: payload.urgency,
        uid: payload.uid,
        documentId: payload.documentId,
        version: payload.version,
        headline,
        // A standing change's reason and new truth are the notice's Why and What to do: repeating them,
        // cut to 60 characters, in What changed only made the notice longer and harder to read.
        whatChanged: standingChanged
          ? summarizeChanges(version.changes.filter((c) => !STANDING_TEXT_FIELDS.has(c.field)), { first: false })
          : version.summary,
        why: standingChanged ? version.standingReason : version.note,
        whatToDo,
        link,
        details: version.note && standingChanged ? [`Note from marketing: ${version.note}`, ...details] : details,
        actor: version.author.name,
      };
    },

    /**
     * The reps a notice concerns: subscribers whose products, regions and kinds match the material
     * (empty = everything); for a retraction also everyone who viewed or downloaded it recently.
     */
    async audience(collateralIds: string[], opts: { retraction: boolean; claimProducts?: string[] }): Promise<Recipient[]> {
      const reps: { id: number; email: string; username: string }[] = await strapi.db.query('plugin::users-permissions.user').findMany({
        where: { role: { type: REP_ROLE }, blocked: false },
        select: ['id', 'email', 'username'],
      });
      if (!reps.length) return [];
      const subs = new Map<number, Subscription>();
      for (const ids of chunks(reps.map((r) => r.id))) {
        const rows = await t(TABLES.subscriptions).whereIn('user_id', ids);
        for (const r of rows) {
          subs.set(Number(r.user_id), {
            products: parseJson(r.products),
            regions: parseJson(r.regions),
            kinds: parseJson(r.kinds),
            channels: parseJson(r.channels),
            cadence: r.cadence,
          });
        }
      }
      const material = collateralIds.length
        ? ((await strapi.documents(COLLATERAL).findMany({
            status: 'published',
            filters: { documentId: { $in: collateralIds } } as never,
            fields: ['kind'] as never,
            populate: { products: { fields: ['slug'] }, regions: { fields: ['slug'] } } as never,
            limit: collateralIds.length,
          })) as unknown as { kind: string; products: { slug: string }[]; regions: { slug: string }[] }[])
        : [];
      const overlaps = (wanted: string[], have: string[]) => wanted.length === 0 || have.some((h) => wanted.includes(h));
      const matches = (sub: Subscription) =>
        material.length
          ? material.some((m) => overlaps(sub.products, m.products.map((p) => p.slug)) && overlaps(sub.regions, m.regions.map((r) => r.slug)) && overlaps(sub.kinds, [m.kind]))
          : overlaps(sub.products, opts.claimProducts ?? []);
      const viewers = new Set<number>();
      if (opts.retraction && collateralIds.length) {
        const since = Date.now() - config().retractionAudienceDays * 86_400_000;
        const rows = await t(TABLES.views).distinct('user_id').whereIn('collateral_document_id', collateralIds).andWhere('created_at', '>=', since);
        rows.forEach((r: { user_id: number }) => viewers.add(Number(r.user_id)));
      }
      return reps
        .map((r) => ({ ...r, subscription: subs.get(r.id) ?? DEFAULT_SUBSCRIPTION }))
        .filter((r) => viewers.has(r.id) || matches(r.subscription));
    },

    /**
     * Stores the notice and one delivery per recipient and channel, and queues the pushes. Every
     * insert is keyed (notice key; notice + channel + target), so a replay after a crash mid fan-out
     * resumes where it stopped and never doubles anything.
     */
    async fanOut(draft: NoticeDraft, recipients: Recipient[]): Promise<{ noticeId: number; deliveries: number }> {
      const now = Date.now();
      return strapi.db.transaction(async ({ trx }) => {
        await t(TABLES.notices, trx)
          .insert({
            notice_key: draft.key,
            urgency: draft.urgency,
            subject_uid: draft.uid,
            subject_document_id: draft.documentId,
            version: draft.version,
            headline: draft.headline.slice(0, 400),
            what_changed: draft.whatChanged,
            why: draft.why,
            what_to_do: draft.whatToDo,
            link: draft.link,
            details: JSON.stringify(draft.details),
            actor_name: draft.actor,
            audience: recipients.length,
            created_at: now,
          })
          .onConflict('notice_key')
          .ignore();
        const notice = await t(TABLES.notices, trx).where({ notice_key: draft.key }).first('id');
        const noticeId = Number(notice.id);
        const rows: Record<string, unknown>[] = [];
        for (const r of recipients) {
          for (const channel of r.subscription.channels) {
            // Informational email waits for the rep's digest; action-required never waits.
            const state = channel === 'inbox' ? 'sent' : draft.urgency === 'fyi' && r.subscription.cadence !== 'instant' ? 'digest' : 'pending';
            rows.push({ notice_id: noticeId, user_id: r.id, channel, target: channel === 'email' ? r.email : `user:${r.id}`, state, sent_at: channel === 'inbox' ? now : null, created_at: now });
          }
        }
        for (const team of [...config().slack.map((c) => ({ ...c, channel: 'slack' })), ...config().teams.map((c) => ({ ...c, channel: 'teams' }))]) {
          rows.push({ notice_id: noticeId, user_id: null, channel: team.channel, target: team.name, state: 'pending', created_at: now });
        }
        for (const batch of chunks(rows)) {
          await t(TABLES.deliveries, trx).insert(batch).onConflict(['notice_id', 'channel', 'target']).ignore();
        }
        const pending: { id: number }[] = await t(TABLES.deliveries, trx).select('id').where({ notice_id: noticeId, state: 'pending' });
        const outbox = getService(strapi, 'outbox');
        for (const batch of chunks(pending)) {
          await outbox.enqueue(trx, batch.map((d) => ({ topic: OUTBOX_TOPICS.noticeDeliver, key: `deliver:${d.id}`, payload: { deliveryId: Number(d.id) } })));
        }
        return { noticeId, deliveries: rows.length };
      });
    },

    /** Outbox handler for `notice.version`. */
    async handleVersionJob(job: OutboxJob) {
      const p = job.payload as { uid: SubjectUid; documentId: string; version: number; urgency: Urgency; actor: { name: string }; flagged?: string[] };
      const draft = await this.compose(p);
      if (!draft) return;
      let recipients: Recipient[];
      if (p.uid === COLLATERAL) {
        const version = await getService(strapi, 'versions').get(p.uid, p.documentId, p.version);
        recipients = await this.audience([p.documentId], { retraction: version?.standing === 'retracted' });
      } else {
        const claim = (await strapi.documents(SUBJECT_KINDS.claim).findOne({ documentId: p.documentId, status: 'published', populate: { products: { fields: ['slug'] } } as never })) as { products?: { slug: string }[] } | null;
        recipients = await this.audience(p.flagged ?? [], { retraction: false, claimProducts: (claim?.products ?? []).map((x) => x.slug) });
      }
      await this.fanOut(draft, recipients);
    },

    /** Queues a notice for the given users only, in the caller's transaction. */
    async queueDirect(trx: Knex.Transaction | null, draft: NoticeDraft, userIds: number[]) {
      await getService(strapi, 'outbox').enqueue(trx, [{ topic: OUTBOX_TOPICS.noticeDirect, key: `direct:${draft.key}`, payload: { draft, userIds } }]);
    },

    /** Outbox handler for `notice.direct`. */
    async handleDirectJob(job: OutboxJob) {
      const { draft, userIds } = job.payload as { draft: NoticeDraft; userIds: number[] };
      const users: { id: number; email: string; username: string }[] = await strapi.db.query('plugin::users-permissions.user').findMany({ where: { id: { $in: userIds }, blocked: false }, select: ['id', 'email', 'username'] });
      const recipients: Recipient[] = [];
      for (const u of users) recipients.push({ ...u, subscription: await this.subscription(u.id) });
      await this.fanOut(draft, recipients);
    },

    async notice(id: number): Promise<NoticeRow | undefined> {
      return t(TABLES.notices).where({ id }).first();
    },

    /** The rep's inbox, newest first, with read and acknowledged state. */
    async inbox(userId: number, opts: { filter: 'all' | 'unread' | 'action_required'; page: number; pageSize: number }) {
      const base = () => {
        const q = t(TABLES.deliveries)
          .join(TABLES.notices, `${TABLES.notices}.id`, `${TABLES.deliveries}.notice_id`)
          .leftJoin(TABLES.acks, (j) => j.on(`${TABLES.acks}.notice_id`, '=', `${TABLES.notices}.id`).andOn(`${TABLES.acks}.user_id`, '=', `${TABLES.deliveries}.user_id`))
          .where(`${TABLES.deliveries}.user_id`, userId)
          .andWhere(`${TABLES.deliveries}.channel`, 'inbox');
        if (opts.filter === 'unread') q.whereNull(`${TABLES.deliveries}.read_at`);
        if (opts.filter === 'action_required') q.andWhere(`${TABLES.notices}.urgency`, 'action_required').whereNull(`${TABLES.acks}.id`);
        return q;
      };
      const [{ n }] = await base().count({ n: '*' });
      const rows = await base()
        .select(`${TABLES.notices}.*`, `${TABLES.deliveries}.read_at as read_at`, `${TABLES.acks}.created_at as acked_at`)
        .orderBy(`${TABLES.notices}.created_at`, 'desc')
        .orderBy(`${TABLES.notices}.id`, 'desc')
        .limit(opts.pageSize)
        .offset((opts.page - 1) * opts.pageSize);
      const data: InboxNotice[] = rows.map((r: any) => ({
        id: Number(r.id),
        urgency: r.urgency,
        headline: r.headline,
        whatChanged: r.what_changed,
        why: r.why,
        whatToDo: r.what_to_do,
        link: r.link,
        details: parseJson<string[]>(r.details) ?? [],
        subject: { kind: r.subject_uid === COLLATERAL ? 'collateral' : 'claim', documentId: r.subject_document_id, version: r.version == null ? null : Number(r.version) },
        actor: r.actor_name,
        createdAt: new Date(toMillis(r.created_at)).toISOString(),
        readAt: r.read_at == null ? null : new Date(toMillis(r.read_at)).toISOString(),
        acknowledgedAt: r.acked_at == null ? null : new Date(toMillis(r.acked_at)).toISOString(),
      }));
      return { data, total: Number(n) };
    },

    async unreadCount(userId: number) {
      const [{ unread }] = await t(TABLES.deliveries).where({ user_id: userId, channel: 'inbox' }).whereNull('read_at').count({ unread: '*' });
      const [{ open }] = await t(TABLES.deliveries)
        .join(TABLES.notices, `${TABLES.notices}.id`, `${TABLES.deliveries}.notice_id`)
        .leftJoin(TABLES.acks, (j) => j.on(`${TABLES.acks}.notice_id`, '=', `${TABLES.notices}.id`).andOn(`${TABLES.acks}.user_id`, '=', `${TABLES.deliveries}.user_id`))
        .where(`${TABLES.deliveries}.user_id`, userId)
        .andWhere(`${TABLES.deliveries}.channel`, 'inbox')
        .andWhere(`${TABLES.notices}.urgency`, 'action_required')
        .whereNull(`${TABLES.acks}.id`)
        .count({ open: '*' });
      return { unread: Number(unread), actionRequired: Number(open) };
    },

    /** Marks read; false when the rep never received that notice. */
    async markRead(userId: number, noticeId: number): Promise<boolean> {
      const delivered = await t(TABLES.deliveries).where({ user_id: userId, notice_id: noticeId, channel: 'inbox' }).first('id', 'read_at');
      if (!delivered) return false;
      if (delivered.read_at == null) await t(TABLES.deliveries).where({ id: delivered.id }).update({ read_at: Date.now() });
      return true;
    },

    /** Acknowledges (idempotent: the first acknowledgement stands); false when the rep never received it. */
    async acknowledge(userId: number, noticeId: number, via: 'portal' | 'email'): Promise<{ acknowledgedAt: string } | null> {
      const delivered = await t(TABLES.deliveries).where({ user_id: userId, notice_id: noticeId }).first('id');
      if (!delivered) return null;
      await this.markRead(userId, noticeId);
      await t(TABLES.acks).insert({ notice_id: noticeId, user_id: userId, via, created_at: Date.now() }).onConflict(['notice_id', 'user_id']).ignore();
      const ack = await t(TABLES.acks).where({ notice_id: noticeId, user_id: userId }).first('created_at');
      return { acknowledgedAt: new Date(toMillis(ack.created_at)).toISOString() };
    },

    /** HMAC token for the acknowledgement link in an email: proves the rep and the notice, no sign-in needed. */
    ackToken(noticeId: number, userId: number): string {
      const body = `${noticeId}.${userId}`;
      return `${body}.${crypto.createHmac('sha256', this.secret()).update(body).digest('base64url')}`;
    },

    verifyAckToken(token: string): { noticeId: number; userId: number } | null {
      const m = /^(\d+)\.(\d+)\.([A-Za-z0-9_-]{43})$/.exec(token);
      if (!m) return null;
      const expected = this.ackToken(Number(m[1]), Number(m[2]));
      const a = Buffer.from(expected);
      const b = Buffer.from(token);
      return a.length === b.length && crypto.timingSafeEqual(a, b) ? { noticeId: Number(m[1]), userId: Number(m[2]) } : null;
    },

    secret(): string {
      const keys = strapi.config.get('server.app.keys') as string[] | undefined;
      return crypto.createHash('sha256').update(`candor-ack:${(keys ?? []).join(',')}`).digest('hex');
    },

    async subscription(userId: number): Promise<Subscription> {
      const r = await t(TABLES.subscriptions).where({ user_id: userId }).first();
      if (!r) return DEFAULT_SUBSCRIPTION;
      return { products: parseJson(r.products), regions: parseJson(r.regions), kinds: parseJson(r.kinds), channels: parseJson(r.channels), cadence: r.cadence };
    },

    async saveSubscription(userId: number, sub: Subscription): Promise<Subscription> {
      const row = {
        user_id: userId,
        products: JSON.stringify(sub.products),
        regions: JSON.stringify(sub.regions),
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

export type NoticesService = ReturnType<typeof createNoticesService>;
