import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { OutboxCounts, OutboxStats } from '../../shared/contracts';
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

  /**
   * Rows by state, overall and per topic, and the age of the oldest waiting job: what the admin page
   * shows to tell a healthy dispatcher from one that is behind or off.
   */
  async stats(): Promise<OutboxStats> {
    const rows: any[] = await tableIn(strapi, null, TABLES.outbox).select('topic', 'state').count({ n: '*' }).groupBy('topic', 'state');
    const [oldest] = await tableIn(strapi, null, TABLES.outbox).where({ state: 'pending' }).min({ at: 'created_at' });
    const empty = (): OutboxCounts => ({ pending: 0, leased: 0, done: 0, dead: 0 });
    // The dispatcher's `processing` is a lease: a crashed worker's rows are taken over when it expires.
    const slot = (state: string): keyof OutboxCounts | null =>
      state === 'processing' ? 'leased' : state === 'pending' || state === 'done' || state === 'dead' ? state : null;
    const totals = empty();
    const byTopic = new Map<string, OutboxCounts>();
    for (const r of rows) {
      const key = slot(String(r.state));
      if (!key) continue;
      const topic = byTopic.get(r.topic) ?? empty();
      byTopic.set(r.topic, topic);
      topic[key] += Number(r.n);
      totals[key] += Number(r.n);
    }
    const at = (oldest as { at: unknown } | undefined)?.at;
    return {
      ...totals,
      oldestPendingAt: at == null ? null : new Date(Number(at)).toISOString(),
      byTopic: [...byTopic].map(([topic, counts]) => ({ topic, ...counts })).sort((a, b) => a.topic.localeCompare(b.topic)),
    };
  },
});

export type OutboxService = ReturnType<typeof createOutboxService>;
