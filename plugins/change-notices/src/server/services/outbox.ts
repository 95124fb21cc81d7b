import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { TABLES, tableIn } from '../database/tables';

/** Topics the dispatcher knows how to deliver. */
export const OUTBOX_TOPICS = {
  /** Bring one collateral's search document in line with its current published state. */
  searchSync: 'search.sync',
  /** Tell the reps concerned about a new version (publish or standing change). */
  noticeVersion: 'notice.version',
  /** Send one notice to one recipient on one channel (email, Slack, Teams). */
  noticeDeliver: 'notice.deliver',
  /** Remind one rep of an action-required notice they have not acknowledged. */
  noticeRemind: 'notice.remind',
  /** A notice for named users only (e.g. "your suggestion shipped"). */
  noticeDirect: 'notice.direct',
  /** One plain email to one address (e.g. a collateral owner hearing of new feedback). */
  mailSend: 'mail.send',
  /** One digest email of waiting informational notices for one rep. */
  digest: 'notice.digest',
  /** The weekly update to one person (sales or marketing). */
  weeklyUpdate: 'weekly.update',
  /** A collateral is past its review-by date: tell its owner. */
  ownerReviewOverdue: 'owner.review-overdue',
} as const;
export type OutboxTopic = (typeof OUTBOX_TOPICS)[keyof typeof OUTBOX_TOPICS];

export interface OutboxMessage {
  topic: OutboxTopic;
  /** Same key, same side effect: a repeated event or a replay inserts nothing. */
  key: string;
  payload: Record<string, unknown>;
  /** Deliver no earlier than this (epoch ms); default now. */
  availableAt?: number;
}

export const createOutboxService = ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * Writes messages in the caller's transaction, so they exist if and only if the change that caused
   * them was committed. Returns how many were new.
   */
  async enqueue(trx: Knex.Transaction | null, messages: OutboxMessage[]): Promise<number> {
    if (!messages.length) return 0;
    const now = Date.now();
    const rows = messages.map((m) => ({
      topic: m.topic,
      idempotency_key: m.key,
      payload: JSON.stringify(m.payload),
      state: 'pending',
      attempts: 0,
      available_at: m.availableAt ?? now,
      created_at: now,
    }));
    const before = await tableIn(strapi, trx, TABLES.outbox).whereIn('idempotency_key', rows.map((r) => r.idempotency_key)).count({ n: '*' });
    await tableIn(strapi, trx, TABLES.outbox).insert(rows).onConflict('idempotency_key').ignore();
    return rows.length - Number((before[0] as { n: number | string }).n);
  },

  /** Counts by topic and state, for the admin page and tests. */
  async stats(): Promise<{ topic: string; state: string; n: number }[]> {
    const rows = await tableIn(strapi, null, TABLES.outbox).select('topic', 'state').count({ n: '*' }).groupBy('topic', 'state');
    return rows.map((r: any) => ({ topic: r.topic, state: r.state, n: Number(r.n) }));
  },
});

export type OutboxService = ReturnType<typeof createOutboxService>;
