import type { Core } from '@strapi/strapi';
import type { PluginConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { TABLES, parseJson, tableIn } from '../database/tables';
import { getService } from '../utils/get-service';
import { renderEmail } from '../utils/render';
import { PermanentDeliveryError, type OutboxJob } from './dispatcher';
import { OUTBOX_TOPICS } from './outbox';

const COLLATERAL = 'api::collateral.collateral';
const today = () => new Date().toISOString().slice(0, 10);

/** Scheduled work: review-by dates and acknowledgement reminders. Each run is safe to repeat. */
export const createJobsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;

  return {
    /**
     * Flags published collateral past its review-by date as stale and queues a note to its owner;
     * clears the flag where the date moved into the future. Returns the newly stale documentIds.
     */
    async flagOverdueReviews(): Promise<string[]> {
      const overdue = (await strapi.documents(COLLATERAL).findMany({
        status: 'published',
        filters: { reviewBy: { $lt: today() }, stale: { $ne: true }, standing: { $ne: 'retracted' } } as never,
        fields: ['documentId', 'title', 'slug', 'reviewBy', 'ownerEmail'] as never,
        limit: 10_000,
      })) as unknown as { documentId: string; title: string; slug: string; reviewBy: string; ownerEmail: string | null }[];
      await strapi.db.transaction(async ({ trx }) => {
        if (overdue.length) {
          await strapi.db.query(COLLATERAL).updateMany({ where: { documentId: { $in: overdue.map((d) => d.documentId) } }, data: { stale: true } });
          await getService(strapi, 'outbox').enqueue(
            trx,
            overdue.map((d) => ({ topic: OUTBOX_TOPICS.ownerReviewOverdue, key: `stale:${d.documentId}:${d.reviewBy}`, payload: d }))
          );
        }
        await strapi.db.query(COLLATERAL).updateMany({ where: { stale: true, reviewBy: { $gte: today() } }, data: { stale: false } });
      });
      return overdue.map((d) => d.documentId);
    },

    /** Outbox handler for `owner.review-overdue`: tells the owner (or the default reply-to address). */
    async handleReviewOverdueJob(job: OutboxJob) {
      const d = job.payload as { documentId: string; title: string; slug: string; reviewBy: string; ownerEmail: string | null };
      const to = d.ownerEmail ?? (strapi.config.get('plugin::email.settings.defaultReplyTo') as string | undefined);
      if (!to) throw new PermanentDeliveryError(`“${d.title}” has no owner email and no default reply-to is configured`);
      const message = renderEmail(
        {
          urgency: 'action_required',
          headline: `Review due: ${d.title}`,
          whatChanged: `Its review-by date (${d.reviewBy}) has passed; reps see it marked as possibly out of date.`,
          why: null,
          whatToDo: 'Check it is still true, then publish it with a new review-by date, scale it back or retract it.',
          link: `${config().portalUrl.replace(/\/$/, '')}/collateral/${d.slug}`,
          details: [],
          actor: 'Candor',
        },
        { ack: null, preferences: `${config().portalUrl.replace(/\/$/, '')}/subscriptions` }
      );
      await strapi.plugin('email').service('email').send({ to, ...message, messageId: `<candor-stale-${d.documentId}-${d.reviewBy}@candor>` });
    },

    /** Outbox handler for `mail.send`: one prepared email. */
    async handleMailJob(job: OutboxJob) {
      const m = job.payload as { to: string; subject: string; text: string; html?: string };
      await strapi.plugin('email').service('email').send({ ...m, messageId: `<candor-${job.key.replace(/[^\w.-]/g, '-')}@candor>` });
    },

    /** Queues a reminder for every rep who has not acknowledged an action-required notice in time. */
    async queueReminders(): Promise<number> {
      const cutoff = Date.now() - config().reminderAfterHours * 3_600_000;
      const due = await tableIn(strapi, null, TABLES.notices).where({ urgency: 'action_required' }).andWhere('created_at', '<', cutoff).whereNull('reminded_at').select('id');
      let queued = 0;
      for (const { id } of due) {
        const open = await tableIn(strapi, null, TABLES.deliveries)
          .where({ notice_id: id, channel: 'inbox' })
          .whereNotExists((q) => q.select(1).from(TABLES.acks).whereRaw(`${TABLES.acks}.notice_id = ${TABLES.deliveries}.notice_id and ${TABLES.acks}.user_id = ${TABLES.deliveries}.user_id`))
          .select('user_id');
        await strapi.db.transaction(async ({ trx }) => {
          queued += await getService(strapi, 'outbox').enqueue(
            trx,
            open.map((o: { user_id: number }) => ({ topic: OUTBOX_TOPICS.noticeRemind, key: `remind:${id}:${o.user_id}`, payload: { noticeId: Number(id), userId: Number(o.user_id) } }))
          );
          await tableIn(strapi, trx, TABLES.notices).where({ id }).update({ reminded_at: Date.now() });
        });
      }
      return queued;
    },

    /** Outbox handler for `notice.remind`: an email reminder with the acknowledgement link. */
    async handleRemindJob(job: OutboxJob) {
      const { noticeId, userId } = job.payload as { noticeId: number; userId: number };
      const notices = getService(strapi, 'notices');
      const acked = await tableIn(strapi, null, TABLES.acks).where({ notice_id: noticeId, user_id: userId }).first('id');
      if (acked) return;
      const [row, user] = await Promise.all([notices.notice(noticeId), strapi.db.query('plugin::users-permissions.user').findOne({ where: { id: userId }, select: ['email'] })]);
      if (!row || !user) return;
      const base = config().publicUrl.replace(/\/$/, '');
      const message = renderEmail(
        { urgency: 'action_required', headline: `Reminder: ${row.headline}`, whatChanged: row.what_changed, why: row.why, whatToDo: row.what_to_do, link: row.link, details: parseJson<string[]>(row.details), actor: row.actor_name },
        { ack: `${base}/api/${PLUGIN_ID}/acks/${notices.ackToken(noticeId, userId)}`, preferences: `${config().portalUrl.replace(/\/$/, '')}/subscriptions` }
      );
      await strapi.plugin('email').service('email').send({ to: user.email, ...message, messageId: `<candor-remind-${noticeId}-${userId}@candor>` });
    },
  };
};

export type JobsService = ReturnType<typeof createJobsService>;
