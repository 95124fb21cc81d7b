import type { Core } from '@strapi/strapi';
import type { Cadence, WeeklyUpdate } from '../../shared/contracts';
import { pluginConfig } from '../config';
import { TABLES, parseJson, tableIn } from '../database/tables';
import { renderDigest, renderWeeklyUpdate } from '../delivery';
import { outboxJob, type OutboxJob } from '../outbox';
import { getService } from '../services';
import { APP_UIDS, SUBJECTS } from '../subjects';
import type { NoticeRow } from './rows';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface VersionRow {
  subject_uid: string;
  subject_document_id: string;
  number: number;
  cause: string;
  title: string;
  summary: string;
  standing: string;
  standing_reason: string | null;
  now_true: string | null;
  snapshot: string;
  changes: string;
}

/**
 * Informational notices for reps on a daily or weekly cadence, and the weekly update that goes to
 * sales and marketing alike. Every email is an outbox row keyed by period and recipient: a rerun of
 * the job in the same period sends nothing twice.
 */
export const createDigestsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const portal = () => pluginConfig(strapi).portalUrl;
  const t = (table: string) => tableIn(strapi, null, table);

  return {
    /** Queues one digest email per rep whose cadence is due and who has waiting notices. */
    async queueDigests(cadence: Exclude<Cadence, 'instant'>, now = Date.now()): Promise<number> {
      const waiting: { id: number; user_id: number }[] = await t(TABLES.deliveries)
        .join(TABLES.subscriptions, `${TABLES.subscriptions}.user_id`, `${TABLES.deliveries}.user_id`)
        .where(`${TABLES.deliveries}.state`, 'digest')
        .andWhere(`${TABLES.subscriptions}.cadence`, cadence)
        .select(`${TABLES.deliveries}.id`, `${TABLES.deliveries}.user_id`);
      const byUser = new Map<number, number[]>();
      for (const w of waiting) (byUser.get(Number(w.user_id)) ?? byUser.set(Number(w.user_id), []).get(Number(w.user_id))!).push(Number(w.id));
      const period = cadence === 'daily' ? day(now) : `week-${day(now - ((new Date(now).getUTCDay() + 6) % 7) * 86_400_000)}`;
      return strapi.db.transaction(async ({ trx }) =>
        getService(strapi, 'outbox').enqueue(
          trx,
          [...byUser].map(([userId, deliveryIds]) => outboxJob('notice.digest', { userId, deliveryIds, cadence, period }))
        )
      );
    },

    /** Outbox handler for `notice.digest`: one email listing the waiting notices, then marks them sent. */
    async handleDigestJob(job: OutboxJob<'notice.digest'>) {
      const { deliveryIds, cadence } = job.payload;
      const rows: (NoticeRow & { delivery_id: number; target: string })[] = await t(TABLES.deliveries)
        .join(TABLES.notices, `${TABLES.notices}.id`, `${TABLES.deliveries}.notice_id`)
        .whereIn(`${TABLES.deliveries}.id`, deliveryIds)
        .andWhere(`${TABLES.deliveries}.state`, 'digest')
        .select(`${TABLES.deliveries}.id as delivery_id`, `${TABLES.deliveries}.target`, `${TABLES.notices}.*`)
        .orderBy(`${TABLES.notices}.created_at`, 'asc');
      if (!rows.length) return;
      const items = rows.map((r) => ({ headline: r.headline, whatChanged: r.what_changed, link: r.link }));
      await getService(strapi, 'mail').send(rows[0]!.target, renderDigest(cadence, items, `${portal()}/subscriptions`), job.key);
      await t(TABLES.deliveries).whereIn('id', rows.map((r) => r.delivery_id)).update({ state: 'sent', sent_at: Date.now() });
    },

    /** What happened in the last seven days, for sales and marketing alike. */
    async weeklyUpdate(now = Date.now()): Promise<WeeklyUpdate> {
      const since = now - 7 * 86_400_000;
      // Claims and collateral both change standing; only collateral is "new" or "changed" material.
      const all: VersionRow[] = await t(TABLES.versions).where('created_at', '>=', since).orderBy('created_at', 'asc');
      // Imported history is dated in the old library and may be a draft's: only versions made in Candor count.
      const versions = all.filter((v) => v.subject_uid === SUBJECTS.collateral.uid && v.cause !== 'import');
      const lastImported = new Map<string, number>();
      const importedIds = [...new Set(versions.map((v) => v.subject_document_id))];
      if (importedIds.length) {
        const rows = (await t(TABLES.versions).whereIn('subject_document_id', importedIds).where({ subject_uid: SUBJECTS.collateral.uid, cause: 'import' }).groupBy('subject_document_id').select('subject_document_id').max({ n: 'number' })) as { subject_document_id: string; n: number | string }[];
        for (const r of rows) lastImported.set(r.subject_document_id, Number(r.n));
      }
      const isFirst = (v: VersionRow) => v.number === (lastImported.get(v.subject_document_id) ?? 0) + 1;
      const link = (v: VersionRow) => `${portal()}/collateral/${String(parseJson<Record<string, unknown>>(v.snapshot).slug ?? '')}`;
      const standingChanges = all.filter((v) => parseJson<{ field: string }[]>(v.changes).some((c) => c.field === 'standing'));
      const notices: { id: number }[] = await t(TABLES.notices).where('created_at', '>=', since).andWhere({ urgency: 'action_required' }).select('id');
      const ids = notices.map((n) => Number(n.id));
      const [{ expected }] = ids.length ? await t(TABLES.deliveries).whereIn('notice_id', ids).andWhere({ channel: 'inbox' }).count({ expected: '*' }) : [{ expected: 0 }];
      const [{ acked }] = ids.length ? await t(TABLES.acks).whereIn('notice_id', ids).count({ acked: '*' }) : [{ acked: 0 }];
      const openFeedback = await strapi.db.query(APP_UIDS.feedback).count({ where: { state: { $in: ['new', 'triaged', 'accepted'] } } });
      return {
        from: new Date(since).toISOString(),
        to: new Date(now).toISOString(),
        created: versions.filter(isFirst).map((v) => ({ title: v.title, link: link(v) })),
        updated: versions.filter((v) => !isFirst(v) && v.cause !== 'standing').map((v) => ({ title: v.title, summary: v.summary, link: link(v) })),
        scaledBack: standingChanges.filter((v) => v.standing === 'scaled_back').map((v) => ({ title: v.title, reason: v.standing_reason, nowTrue: v.now_true })),
        retracted: standingChanges.filter((v) => v.standing === 'retracted').map((v) => ({ title: v.title, reason: v.standing_reason })),
        openFeedback,
        acknowledgement: { notices: ids.length, expected: Number(expected), acknowledged: Number(acked), rate: Number(expected) ? Number(acked) / Number(expected) : null },
      };
    },

    /** Queues the weekly update to every rep and every active admin (marketing). */
    async queueWeeklyUpdate(now = Date.now()): Promise<number> {
      const update = await this.weeklyUpdate(now);
      const reps: { email: string }[] = await strapi.db.query(APP_UIDS.user).findMany({ where: { blocked: false }, select: ['email'] });
      const admins: { email: string }[] = await strapi.db.query(APP_UIDS.adminUser).findMany({ where: { isActive: true }, select: ['email'] });
      const recipients = [...new Set([...reps, ...admins].map((u) => u.email.toLowerCase()))];
      const week = day(now);
      return strapi.db.transaction(async ({ trx }) => getService(strapi, 'outbox').enqueue(trx, recipients.map((to) => outboxJob('weekly.update', { to, week, update }))));
    },

    /** Outbox handler for `weekly.update`. */
    async handleWeeklyJob(job: OutboxJob<'weekly.update'>) {
      await getService(strapi, 'mail').send(job.payload.to, renderWeeklyUpdate(job.payload.update), job.key);
    },
  };
};

export type DigestsService = ReturnType<typeof createDigestsService>;
