import crypto from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { DispatcherConfig } from '../config';
import { TABLES, parseJson, tableIn } from '../database/tables';
import { isTopic, parsePayload, type OutboxTopic, type PayloadOf } from './topics';

/** A claimed outbox row, its payload parsed by its topic's schema, handed to the topic's handler. */
export interface OutboxJob<T extends OutboxTopic = OutboxTopic> {
  id: number;
  topic: T;
  key: string;
  payload: PayloadOf<T>;
  /** 1 on the first try. */
  attempt: number;
}

export type TopicHandler<T extends OutboxTopic = OutboxTopic> = (job: OutboxJob<T>) => Promise<void>;

interface ClaimedRow {
  id: number | string;
  topic: string;
  idempotency_key: string;
  payload: string;
  attempts: number | string;
}

/** A failure that retrying cannot fix (a 4xx from a webhook, a malformed address): dead-letter at once. */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}

export type DispatcherOptions = Omit<DispatcherConfig, 'enabled'>;

/** Exponential backoff with ±20 % jitter, so a failing receiver is not hammered in lockstep. */
export function backoffMs(attempt: number, opts: Pick<DispatcherOptions, 'backoffBaseMs' | 'backoffMaxMs'>): number {
  const raw = Math.min(opts.backoffBaseMs * 2 ** Math.max(0, attempt - 1), opts.backoffMaxMs);
  return Math.round(raw * (0.8 + Math.random() * 0.4));
}

/**
 * Drains the outbox. Rows are claimed with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so several
 * Strapi instances share the work without taking the same row), handed to the topic's handler, then
 * marked done, rescheduled with backoff, or parked as dead letters after `maxAttempts`.
 * Delivery is at least once; handlers make it effectively once with idempotency keys.
 */
export const createDispatcherService = ({ strapi }: { strapi: Core.Strapi }) => {
  const handlers = new Map<OutboxTopic, TopicHandler<never>>();
  const workerId = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  // Set from the plugin config by `configure` at bootstrap, before the first round.
  let options: DispatcherOptions = { batchSize: 100, concurrency: 16, pollMs: 1000, leaseMs: 60_000, maxAttempts: 8, backoffBaseMs: 2000, backoffMaxMs: 3_600_000 };
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let stopped = true;

  const qualified = () => {
    const schema = strapi.db.getSchemaName();
    return schema ? `${schema}.${TABLES.outbox}` : TABLES.outbox;
  };

  /** Claimed rows as jobs; the payload is parsed when the job runs, so a bad one dead-letters alone. */
  async function claim(limit: number): Promise<(Omit<OutboxJob, 'payload' | 'topic'> & { topic: string; payload: unknown })[]> {
    const now = Date.now();
    const isPg = strapi.db.dialect.client === 'postgres';
    const sql = `UPDATE ?? SET state = 'processing', locked_by = ?, locked_at = ?, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM ?? WHERE (state = 'pending' AND available_at <= ?) OR (state = 'processing' AND locked_at < ?)
        ORDER BY id LIMIT ? ${isPg ? 'FOR UPDATE SKIP LOCKED' : ''}
      ) RETURNING id, topic, idempotency_key, payload, attempts`;
    const result = await strapi.db.connection.raw(sql, [qualified(), workerId, now, qualified(), now, now - options.leaseMs, limit]);
    const rows: ClaimedRow[] = isPg ? result.rows : result;
    return rows
      .map((r) => ({ id: Number(r.id), topic: r.topic, key: r.idempotency_key, payload: parseJson<unknown>(r.payload), attempt: Number(r.attempts) }))
      .sort((a, b) => a.id - b.id);
  }

  async function settle(job: { id: number; topic: string; attempt: number }, error: unknown) {
    const outbox = () => tableIn(strapi, null, TABLES.outbox).where({ id: job.id, locked_by: workerId });
    if (!error) {
      await outbox().update({ state: 'done', done_at: Date.now(), locked_by: null, locked_at: null, last_error: null });
      return;
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const dead = error instanceof PermanentDeliveryError || job.attempt >= options.maxAttempts;
    if (dead) strapi.log.warn(`[change-notices] dead letter #${job.id} ${job.topic} after ${job.attempt} attempt(s): ${message}`);
    await outbox().update({
      state: dead ? 'dead' : 'pending',
      available_at: dead ? Date.now() : Date.now() + backoffMs(job.attempt, options),
      locked_by: null,
      locked_at: null,
      last_error: message.slice(0, 2000),
    });
  }

  async function runJob(job: Awaited<ReturnType<typeof claim>>[number]) {
    try {
      if (!isTopic(job.topic)) throw new PermanentDeliveryError(`unknown topic ${job.topic}`);
      const handler = handlers.get(job.topic) as TopicHandler | undefined;
      if (!handler) throw new PermanentDeliveryError(`no handler for topic ${job.topic}`);
      const payload = parsePayload(job.topic, job.payload);
      if (!payload) throw new PermanentDeliveryError(`the payload does not fit topic ${job.topic}`);
      await handler({ ...job, topic: job.topic, payload });
      await settle(job, null);
    } catch (err) {
      await settle(job, err);
    }
  }

  async function runBatch(): Promise<number> {
    const jobs = await claim(options.batchSize);
    let next = 0;
    const lanes = Array.from({ length: Math.min(options.concurrency, jobs.length) }, async () => {
      while (next < jobs.length) await runJob(jobs[next++]!);
    });
    await Promise.all(lanes);
    return jobs.length;
  }

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, ms);
  };
  async function tick() {
    timer = null;
    if (running) return;
    running = runBatch();
    let count = 0;
    try {
      count = await running;
    } catch (err) {
      strapi.log.error(`[change-notices] dispatcher round failed: ${(err as Error).message}`);
    } finally {
      running = null;
    }
    // A full batch means more is waiting: go again at once.
    schedule(count >= options.batchSize ? 0 : options.pollMs);
  }

  return {
    workerId,
    /** Attaches the handler of a topic (its module does this at bootstrap); it gets the parsed payload. */
    register<T extends OutboxTopic>(topic: T, handler: TopicHandler<T>) {
      handlers.set(topic, handler as TopicHandler<never>);
    },
    configure(partial: Partial<DispatcherOptions>) {
      options = { ...options, ...partial };
    },
    get options() {
      return options;
    },
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    /** Runs a round soon (after a commit that enqueued urgent work), instead of at the next poll. */
    kick() {
      if (!stopped && !running) schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
    /** One round; returns how many rows it processed. Tests and scripts drive the dispatcher with it. */
    runBatch,
    /** Rounds until nothing is due (rows waiting on backoff are left for later). */
    async drain(maxRounds = 10_000): Promise<number> {
      let total = 0;
      for (let i = 0; i < maxRounds; i++) {
        const n = await runBatch();
        total += n;
        if (n === 0) break;
      }
      return total;
    },
    /** Puts a dead letter back in the queue (the admin's Retry button). */
    async retry(id: number): Promise<boolean> {
      const n = await tableIn(strapi, null, TABLES.outbox)
        .where({ id, state: 'dead' })
        .update({ state: 'pending', available_at: Date.now(), attempts: 0, last_error: null });
      return Number(n) > 0;
    },
  };
};

export type DispatcherService = ReturnType<typeof createDispatcherService>;
