import type { Core } from '@strapi/strapi';
import type { PluginConfig } from '../config';
import { PLUGIN_ID } from '../constants';
import { TABLES, parseJson, tableIn } from '../database/tables';
import { getService } from '../utils/get-service';
import { renderEmail, renderSlack, renderTeams, type RenderableNotice } from '../utils/render';
import { PermanentDeliveryError, type OutboxJob } from './dispatcher';

/** A webhook answer worth retrying: 408, 429 and every 5xx. Other 4xx mean the request itself is wrong. */
const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

/** Sends one delivery on its channel: email through Strapi's email plugin, Slack and Teams webhooks. */
export const createChannelsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;

  async function postWebhook(url: string, body: unknown, key: string) {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(config().webhookTimeoutMs),
      });
    } catch (err) {
      const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${config().webhookTimeoutMs} ms` : (err as Error).message;
      throw new Error(`webhook unreachable: ${reason}`, { cause: err });
    }
    if (res.ok) return;
    const text = (await res.text().catch(() => '')).slice(0, 200);
    const message = `webhook answered ${res.status}${text ? `: ${text}` : ''}`;
    throw retryable(res.status) ? new Error(message) : new PermanentDeliveryError(message);
  }

  return {
    /** Outbox handler for `notice.deliver`. A delivery already sent is not sent again. */
    async handleDeliverJob(job: OutboxJob) {
      const deliveries = () => tableIn(strapi, null, TABLES.deliveries);
      const d = await deliveries().where({ id: job.payload.deliveryId }).first();
      if (!d || d.state === 'sent') return;
      const notices = getService(strapi, 'notices');
      const row = await notices.notice(Number(d.notice_id));
      if (!row) throw new PermanentDeliveryError(`notice ${d.notice_id} is gone`);
      const notice: RenderableNotice = {
        urgency: row.urgency,
        headline: row.headline,
        whatChanged: row.what_changed,
        why: row.why,
        whatToDo: row.what_to_do,
        link: row.link,
        details: parseJson<string[]>(row.details),
        actor: row.actor_name,
      };
      const key = `candor-delivery-${d.id}`;
      try {
        if (d.channel === 'email') {
          const base = config().publicUrl.replace(/\/$/, '');
          const ack = row.urgency === 'action_required' ? `${base}/api/${PLUGIN_ID}/acks/${notices.ackToken(row.id, Number(d.user_id))}` : null;
          const message = renderEmail(notice, { ack, preferences: `${config().portalUrl.replace(/\/$/, '')}/subscriptions` });
          // A stable Message-ID lets mail systems drop the copy a crash-and-retry might send.
          await strapi.plugin('email').service('email').send({ to: d.target, ...message, messageId: `<${key}@candor>` });
        } else if (d.channel === 'slack' || d.channel === 'teams') {
          const target = config()[d.channel as 'slack' | 'teams'].find((c) => c.name === d.target);
          if (!target) throw new PermanentDeliveryError(`no ${d.channel} channel named ${d.target} is configured any more`);
          await postWebhook(target.url, d.channel === 'slack' ? renderSlack(notice) : renderTeams(notice), key);
        } else {
          throw new PermanentDeliveryError(`channel ${d.channel} has no sender`);
        }
      } catch (err) {
        await deliveries().where({ id: d.id }).update({ last_error: String((err as Error).message).slice(0, 2000) });
        const isSmtpPermanent = d.channel === 'email' && /\b5\d\d\b/.test(String((err as { responseCode?: number }).responseCode ?? ''));
        throw isSmtpPermanent ? new PermanentDeliveryError((err as Error).message) : err;
      }
      await deliveries().where({ id: d.id }).update({ state: 'sent', sent_at: Date.now(), last_error: null });
    },
  };
};

export type ChannelsService = ReturnType<typeof createChannelsService>;
