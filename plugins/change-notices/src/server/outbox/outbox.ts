import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { OutboxCounts, OutboxStats } from '../../shared/contracts';
import { TABLES, parseJson, tableIn } from '../database/tables';
import { getService } from '../services';
import { OUTBOX_CHANNEL, touchSqliteWake } from './dispatcher';
import { PRIORITY, TOPICS, type OutboxMessage, type OutboxTopic, type PayloadOf } from './topics';

/** An outbox row as stored. Times are epoch ms (PostgreSQL returns bigint as string). */
export interface OutboxRow {
  id: number | string;
  topic: string;
  idempotency_key: string;
  payload: string;
  state: 'pending' | 'processing' | 'done' | 'dead';
  attempts: number | string;
  available_at: number | string;
  locked_by: string | null;
  locked_at: number | string | null;
  last_error: string | null;
  created_at: number | string;
  done_at: number | string | null;
}

export const createOutboxService = ({ strapi }: { strapi: Core.Strapi }) => {
  /**
   * Wakes the dispatchers once the rows are committed: this process's at once, other processes' by
   * NOTIFY, which PostgreSQL delivers on commit (and drops on rollback), or on SQLite by touching
   * the file they watch.
   */
  async function wakeWorkers(trx: Knex.Transaction | null) {
    const pg = strapi.db.dialect.client === 'postgres';
    if (pg) await (trx ?? strapi.db.connection).raw('SELECT pg_notify(?, ?)', [OUTBOX_CHANNEL, '']);
    const kick = () => {
      getService(strapi, 'dispatcher').kick();
      if (!pg) touchSqliteWake(strapi);
    };
    if (trx) trx.executionPromise.then(kick, () => undefined);
    else kick();
  }

  return {
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
      state: m.deadLetter === undefined ? 'pending' : 'dead',
      attempts: m.attempts ?? 0,
      last_error: m.deadLetter?.slice(0, 2000) ?? null,
      // A row made without outboxJob (an older caller) still gets a sensible place in the queue.
      priority: m.priority ?? PRIORITY.send,
      lane: m.lane ?? null,
      available_at: m.availableAt ?? now,
      created_at: now,
    }));
    const before = await tableIn(strapi, trx, TABLES.outbox).whereIn('idempotency_key', rows.map((r) => r.idempotency_key)).count({ n: '*' });
    await tableIn(strapi, trx, TABLES.outbox).insert(rows).onConflict('idempotency_key').ignore();
    const added = rows.length - Number((before[0] as { n: number | string }).n);
    if (added > 0) await wakeWorkers(trx);
    return added;
  },

  /**
   * Rows by state, overall and per topic, and the age of the oldest waiting job: what the admin page
   * shows to tell a healthy dispatcher from one that is behind or off.
   */
  async stats(): Promise<OutboxStats> {
    const rows: { topic: string; state: string; n: number | string }[] = await tableIn(strapi, null, TABLES.outbox).select('topic', 'state').count({ n: '*' }).groupBy('topic', 'state');
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

  /**
   * The rows of one topic written for these payloads (matched by the topic's key), each with the
   * payload it was asked for: how the admin tells which delivery a dead row sends.
   */
  async rowsFor<T extends OutboxTopic>(topic: T, payloads: PayloadOf<T>[]): Promise<{ payload: PayloadOf<T>; row: OutboxRow }[]> {
    const keyOf = TOPICS[topic].key as (p: PayloadOf<T>) => string;
    const wanted = new Map(payloads.map((p) => [keyOf(p), p]));
    const keys = [...wanted.keys()];
    const out: { payload: PayloadOf<T>; row: OutboxRow }[] = [];
    for (let i = 0; i < keys.length; i += 500) {
      const rows: OutboxRow[] = await tableIn(strapi, null, TABLES.outbox).where({ topic }).whereIn('idempotency_key', keys.slice(i, i + 500));
      for (const row of rows) out.push({ payload: wanted.get(row.idempotency_key)!, row });
    }
    return out;
  },

  /** The newest dead letters, payloads parsed as stored. */
  async deadLetters(limit: number): Promise<(OutboxRow & { parsed: unknown })[]> {
    const rows: OutboxRow[] = await tableIn(strapi, null, TABLES.outbox).where({ state: 'dead' }).orderBy('id', 'desc').limit(limit);
    return rows.map((r) => ({ ...r, parsed: parseJson<unknown>(r.payload) }));
  },
  };
};

export type OutboxService = ReturnType<typeof createOutboxService>;
