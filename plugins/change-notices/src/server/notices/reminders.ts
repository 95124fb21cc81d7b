import type { Core } from '@strapi/strapi';
import { pluginConfig } from '../config';
import { TABLES, tableIn } from '../database/tables';
import { renderReminder, renderReviewDue } from '../delivery';
import { outboxJob, PermanentDeliveryError, type OutboxJob } from '../outbox';
import { getService } from '../services';
import { APP_UIDS, SUBJECTS } from '../subjects';
import { toRenderable } from './notices';
import type { DeliveryRow, NoticeRow } from './rows';

const today = () => new Date().toISOString().slice(0, 10);
const COLLATERAL = SUBJECTS.collateral.uid;

/** Scheduled work: review-by dates and acknowledgement reminders. Each run is safe to repeat. */
export const createJobsService = ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * Flags published collateral past its review-by date as stale and queues a note to its owner;
   * clears the flag where the date moved into the future. Returns the newly stale documentIds.
   */
  async flagOverdueReviews(): Promise<string[]> {
    const overdue = (await strapi.documents(COLLATERAL).findMany({
      status: 'published',
      filters: { reviewBy: { $lt: today() }, stale: { $ne: true }, standing: { $ne: 'retracted' } },
      fields: ['documentId', 'title', 'slug', 'reviewBy', 'ownerEmail'],
      limit: 10_000,
    })) as unknown as { documentId: string; title: string; slug: string; reviewBy: string; ownerEmail: string | null }[];
    await strapi.db.transaction(async ({ trx }) => {
      if (overdue.length) {
        await strapi.db.query(COLLATERAL).updateMany({ where: { documentId: { $in: overdue.map((d) => d.documentId) } }, data: { stale: true } });
        await getService(strapi, 'outbox').enqueue(
          trx,
          overdue.map((d) => outboxJob('owner.review-overdue', { documentId: d.documentId, title: d.title, slug: d.slug, reviewBy: d.reviewBy, ownerEmail: d.ownerEmail ?? null }))
        );
      }
      await strapi.db.query(COLLATERAL).updateMany({ where: { stale: true, reviewBy: { $gte: today() } }, data: { stale: false } });
    });
    return overdue.map((d) => d.documentId);
  },

  /** Outbox handler for `owner.review-overdue`: tells the owner (or the default reply-to address). */
  async handleReviewOverdueJob(job: OutboxJob<'owner.review-overdue'>) {
    const d = job.payload;
    const mail = getService(strapi, 'mail');
    const to = d.ownerEmail ?? mail.defaultRecipient();
    if (!to) throw new PermanentDeliveryError(`“${d.title}” has no owner email and no default reply-to is configured`);
    const portal = pluginConfig(strapi).portalUrl;
    await mail.send(to, renderReviewDue({ title: d.title, reviewBy: d.reviewBy, link: `${portal}/collateral/${d.slug}` }, `${portal}/subscriptions`), `stale-${d.documentId}-${d.reviewBy}`);
  },

  /** Outbox handler for `mail.send`: one prepared email. */
  async handleMailJob(job: OutboxJob<'mail.send'>) {
    const { to, subject, text, html, ref } = job.payload;
    await getService(strapi, 'mail').send(to, { subject, text, html }, ref);
  },

  /**
   * Queues a reminder for every rep who has not acknowledged an action-required notice in time
   * (`now` lets a test or a backfill pretend it is later).
   */
  async queueReminders(now = Date.now()): Promise<number> {
    const cutoff = now - pluginConfig(strapi).reminderAfterHours * 3_600_000;
    const due: Pick<NoticeRow, 'id'>[] = await tableIn(strapi, null, TABLES.notices).where({ urgency: 'action_required' }).andWhere('created_at', '<', cutoff).whereNull('reminded_at').select('id');
    let queued = 0;
    for (const { id } of due) {
      const open: Pick<DeliveryRow, 'user_id'>[] = await tableIn(strapi, null, TABLES.deliveries)
        .where({ notice_id: id, channel: 'inbox' })
        .whereNotExists((q) => q.select(1).from(TABLES.acks).whereRaw(`${TABLES.acks}.notice_id = ${TABLES.deliveries}.notice_id and ${TABLES.acks}.user_id = ${TABLES.deliveries}.user_id`))
        .select('user_id');
      await strapi.db.transaction(async ({ trx }) => {
        queued += await getService(strapi, 'outbox').enqueue(
          trx,
          open.filter((o) => o.user_id != null).map((o) => outboxJob('notice.remind', { noticeId: Number(id), userId: Number(o.user_id) }))
        );
        await tableIn(strapi, trx, TABLES.notices).where({ id }).update({ reminded_at: Date.now() });
      });
    }
    return queued;
  },

  /** Outbox handler for `notice.remind`: an email reminder with the acknowledgement link. */
  async handleRemindJob(job: OutboxJob<'notice.remind'>) {
    const { noticeId, userId } = job.payload;
    const acked = await tableIn(strapi, null, TABLES.acks).where({ notice_id: noticeId, user_id: userId }).first('id');
    if (acked) return;
    const [row, user] = await Promise.all([
      getService(strapi, 'notices').notice(noticeId),
      strapi.db.query(APP_UIDS.user).findOne({ where: { id: userId }, select: ['email'] }) as Promise<{ email: string } | null>,
    ]);
    if (!row || !user) return;
    const links = { ack: getService(strapi, 'inbox').ackLink(noticeId, userId), preferences: `${pluginConfig(strapi).portalUrl}/subscriptions` };
    await getService(strapi, 'mail').send(user.email, renderReminder(toRenderable(row), links), `remind-${noticeId}-${userId}`);
  },
});

export type JobsService = ReturnType<typeof createJobsService>;
