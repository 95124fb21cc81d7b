import type { Core } from '@strapi/strapi';
import type { Channel } from '../../shared/contracts';
import { pluginConfig } from '../config';
import { PermanentDeliveryError } from '../outbox';
import { renderEmail, renderSlack, renderTeams, type RenderableNotice } from './templates';
import type { MailService } from './mail';

/** One notice to one target on one channel; `ref` names the delivery (Message-ID, Idempotency-Key). */
export interface NoticeSend {
  notice: RenderableNotice;
  target: string;
  ref: string;
  /** The signed acknowledgement link, for channels that carry one (email). */
  ack: string | null;
}

/** Email, Slack and Teams behind one interface: the notices module does not know how each sends. */
export interface ChannelProvider {
  send(message: NoticeSend): Promise<void>;
}

/** A webhook answer worth retrying: 408, 429 and every 5xx. Other 4xx mean the request itself is wrong. */
const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

export function createProviders(strapi: Core.Strapi, mail: MailService): Record<Channel, ChannelProvider | null> {
  const config = () => pluginConfig(strapi);

  async function postWebhook(url: string, body: unknown, key: string) {
    const timeoutMs = config().webhookTimeoutMs;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const reason = err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : err instanceof Error ? err.message : String(err);
      throw new Error(`webhook unreachable: ${reason}`, { cause: err });
    }
    if (res.ok) return;
    const text = (await res.text().catch(() => '')).slice(0, 200);
    const message = `webhook answered ${res.status}${text ? `: ${text}` : ''}`;
    throw retryable(res.status) ? new Error(message) : new PermanentDeliveryError(message);
  }

  const team = (channel: 'slack' | 'teams', render: (n: RenderableNotice) => unknown): ChannelProvider => ({
    async send({ notice, target, ref }) {
      const hook = config()[channel].find((c) => c.name === target);
      if (!hook) throw new PermanentDeliveryError(`no ${channel} channel named ${target} is configured any more`);
      await postWebhook(hook.url, render(notice), `candor-${ref}`);
    },
  });

  return {
    email: {
      async send({ notice, target, ref, ack }) {
        try {
          await mail.send(target, renderEmail(notice, { ack, preferences: `${config().portalUrl}/subscriptions` }), ref);
        } catch (err) {
          // A 5xx SMTP reply (unknown mailbox, policy) will not get better by retrying.
          const code = (err as { responseCode?: unknown }).responseCode;
          if (typeof code === 'number' && code >= 500 && code < 600) throw new PermanentDeliveryError(err instanceof Error ? err.message : String(err));
          throw err;
        }
      },
    },
    slack: team('slack', renderSlack),
    teams: team('teams', renderTeams),
    // The portal inbox is the delivery row itself: nothing to send.
    inbox: null,
  };
}
