import type { Core } from '@strapi/strapi';
import type { Cadence, WeeklyUpdate } from '../../shared/contracts';
import type { PluginConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { TABLES, parseJson, tableIn } from '../database/tables';
import { getService } from '../utils/get-service';
import type { OutboxJob } from './dispatcher';
import { OUTBOX_TOPICS } from './outbox';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Informational notices for reps on a daily or weekly cadence, and the weekly update that goes to
 * sales and marketing alike. Every email is an outbox row keyed by period and recipient: a rerun of
 * the job in the same period sends nothing twice.
 */
export const createDigestsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;
  const portal = () => config().portalUrl.replace(/\/$/, '');
  const t = (table: string) => tableIn(strapi, null, table);

  return {
    /** Queues one digest email per rep whose cadence is due and who has waiting notices. */
    async queueDigests(cadence: Exclude<Cadence, 'instant'>, now = Date.now()): Promise<number> {
      const waiting = await t(TABLES.deliveries)
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
          [...byUser].map(([userId, deliveryIds]) => ({ topic: OUTBOX_TOPICS.digest, key: `digest:${cadence}:${period}:${userId}`, payload: { userId, deliveryIds, cadence } }))
        )
      );
    },

    /** Outbox handler for `notice.digest`: one email listing the waiting notices, then marks them sent. */
    async handleDigestJob(job: OutboxJob) {
      const { deliveryIds, cadence } = job.payload as { deliveryIds: number[]; cadence: Cadence };
      const rows = await t(TABLES.deliveries)
        .join(TABLES.notices, `${TABLES.notices}.id`, `${TABLES.deliveries}.notice_id`)
        .whereIn(`${TABLES.deliveries}.id`, deliveryIds)
        .andWhere(`${TABLES.deliveries}.state`, 'digest')
        .select(`${TABLES.deliveries}.id as delivery_id`, `${TABLES.deliveries}.target`, `${TABLES.notices}.*`)
        .orderBy(`${TABLES.notices}.created_at`, 'asc');
      if (!rows.length) return;
      const items: { headline: string; whatChanged: string; link: string }[] = rows.map((r: any) => ({ headline: r.headline, whatChanged: r.what_changed, link: r.link }));
      const subject = `Your ${cadence} Candor digest: ${items.length} update${items.length > 1 ? 's' : ''}`;
      const text = [subject, '', ...items.map((i) => `• ${i.headline}\n  ${i.whatChanged}\n  ${i.link}`), '', `Change what you receive: ${portal()}/subscriptions`].join('\n');
      const html = `<!doctype html><html lang="en"><body style="font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#101828">
<h1 style="font-size:20px">${esc(subject)}</h1><ul style="padding-left:18px">${items
        .map((i) => `<li style="margin-bottom:12px"><a href="${esc(i.link)}" style="font-weight:600;color:#101828">${esc(i.headline)}</a><br><span style="color:#475467">${esc(i.whatChanged)}</span></li>`)
        .join('')}</ul><p style="font-size:12px;color:#667085"><a href="${esc(portal())}/subscriptions">Change what you receive</a></p></body></html>`;
      await strapi.plugin('email').service('email').send({ to: rows[0].target, subject, text, html, messageId: `<candor-${job.key.replace(/[^\w.-]/g, '-')}@candor>` });
      await t(TABLES.deliveries).whereIn('id', rows.map((r: any) => r.delivery_id)).update({ state: 'sent', sent_at: Date.now() });
    },

    /** What happened in the last seven days, for sales and marketing alike. */
    async weeklyUpdate(now = Date.now()): Promise<WeeklyUpdate> {
      const since = now - 7 * 86_400_000;
      // Claims and collateral both change standing; only collateral is "new" or "changed" material.
      const all = await t(TABLES.versions).where('created_at', '>=', since).orderBy('created_at', 'asc');
      const versions = all.filter((v: any) => v.subject_uid === 'api::collateral.collateral');
      const link = (v: any) => `${portal()}/collateral/${parseJson<Record<string, unknown>>(v.snapshot).slug}`;
      const standingChanges = all.filter((v: any) => parseJson<{ field: string }[]>(v.changes).some((c) => c.field === 'standing'));
      const notices = await t(TABLES.notices).where('created_at', '>=', since).andWhere({ urgency: 'action_required' }).select('id');
      const ids = notices.map((n: any) => Number(n.id));
      const [{ expected }] = ids.length ? await t(TABLES.deliveries).whereIn('notice_id', ids).andWhere({ channel: 'inbox' }).count({ expected: '*' }) : [{ expected: 0 }];
      const [{ acked }] = ids.length ? await t(TABLES.acks).whereIn('notice_id', ids).count({ acked: '*' }) : [{ acked: 0 }];
      const openFeedback = await strapi.db.query('api::feedback.feedback').count({ where: { state: { $in: ['new', 'triaged', 'accepted'] } } });
      return {
        from: new Date(since).toISOString(),
        to: new Date(now).toISOString(),
        created: versions.filter((v: any) => v.number === 1).map((v: any) => ({ title: v.title, link: link(v) })),
        updated: versions.filter((v: any) => v.number > 1 && v.cause !== 'standing').map((v: any) => ({ title: v.title, summary: v.summary, link: link(v) })),
        scaledBack: standingChanges.filter((v: any) => v.standing === 'scaled_back').map((v: any) => ({ title: v.title, reason: v.standing_reason, nowTrue: v.now_true })),
        retracted: standingChanges.filter((v: any) => v.standing === 'retracted').map((v: any) => ({ title: v.title, reason: v.standing_reason })),
        openFeedback,
        acknowledgement: { notices: ids.length, expected: Number(expected), acknowledged: Number(acked), rate: Number(expected) ? Number(acked) / Number(expected) : null },
      };
    },

    /** Queues the weekly update to every rep and every active admin (marketing). */
    async queueWeeklyUpdate(now = Date.now()): Promise<number> {
      const update = await this.weeklyUpdate(now);
      const reps: { email: string }[] = await strapi.db.query('plugin::users-permissions.user').findMany({ where: { blocked: false }, select: ['email'] });
      const admins: { email: string }[] = await strapi.db.query('admin::user').findMany({ where: { isActive: true }, select: ['email'] });
      const recipients = [...new Set([...reps, ...admins].map((u) => u.email.toLowerCase()))];
      const week = day(now);
      return strapi.db.transaction(async ({ trx }) =>
        getService(strapi, 'outbox').enqueue(trx, recipients.map((to) => ({ topic: OUTBOX_TOPICS.weeklyUpdate, key: `weekly:${week}:${to}`, payload: { to, update } })))
      );
    },

    /** Outbox handler for `weekly.update`. */
    async handleWeeklyJob(job: OutboxJob) {
      const { to, update } = job.payload as { to: string; update: WeeklyUpdate };
      const pct = update.acknowledgement.rate == null ? 'no action-required notices' : `${Math.round(update.acknowledgement.rate * 100)} % acknowledged (${update.acknowledgement.acknowledged} of ${update.acknowledgement.expected})`;
      const section = (title: string, lines: string[]) => (lines.length ? [`${title}`, ...lines.map((l) => `  • ${l}`), ''] : [`${title}: none`, '']);
      const text = [
        `Candor weekly update, ${update.from.slice(0, 10)} to ${update.to.slice(0, 10)}`,
        '',
        ...section('Scaled back', update.scaledBack.map((s) => `${s.title}: now ${s.nowTrue ?? '—'} (${s.reason ?? 'no reason'})`)),
        ...section('Retracted', update.retracted.map((r) => `${r.title} (${r.reason ?? 'no reason'})`)),
        ...section('New', update.created.map((c) => `${c.title} ${c.link}`)),
        ...section('Changed', update.updated.map((u) => `${u.title}: ${u.summary}`)),
        `Open feedback from sales: ${update.openFeedback}`,
        `Acknowledgements: ${pct}`,
      ].join('\n');
      const html = `<!doctype html><html lang="en"><body style="font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#101828"><pre style="font:inherit;white-space:pre-wrap">${esc(text)}</pre></body></html>`;
      await strapi.plugin('email').service('email').send({ to, subject: `Candor weekly update: ${update.scaledBack.length} scaled back, ${update.retracted.length} retracted, ${update.created.length} new`, text, html, messageId: `<candor-${job.key.replace(/[^\w.-]/g, '-')}@candor>` });
    },

  };
};

export type DigestsService = ReturnType<typeof createDigestsService>;
