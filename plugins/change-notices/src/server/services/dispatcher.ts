import crypto from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { TABLES, parseJson, tableIn } from '../database/tables';
import type { OutboxTopic } from './outbox';

/** A claimed outbox row handed to a topic handler. */
export interface OutboxJob {
  id: number;
  topic: OutboxTopic;
  key: string;
  payload: Record<string, any>;
  /** 1 on the first try. */
  attempt: number;
}

export type TopicHandler = (job: OutboxJob) => Promise<void>;

/** A failure that retrying cannot fix (a 4xx from a webhook, a malformed address): dead-letter at once. */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}

export interface DispatcherOptions {
  /** Rows claimed per round. */
  batchSize: number;
  /** Jobs run at once within a round (I/O bound: SMTP, webhooks). */
  concurrency: number;
  pollMs: number;
  /** A row stuck in `processing` longer than this belonged to a crashed worker and is taken over. */
  leaseMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  batchSize: 100,
  concurrency: 16,
  pollMs: 1000,
  leaseMs: 60_000,
  maxAttempts: 8,
  backoffBaseMs: 2_000,
  backoffMaxMs: 3_600_000,
};

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
  const handlers = new Map<string, TopicHandler>();
  const workerId = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  let options: DispatcherOptions = { ...DEFAULT_DISPATCHER_OPTIONS };
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let stopped = true;

  const qualified = () => {
    const schema = strapi.db.getSchemaName();
    return schema ? `${schema}.${TABLES.outbox}` : TABLES.outbox;
  };

  async function claim(limit: number): Promise<OutboxJob[]> {
    const now = Date.now();
    const isPg = strapi.db.dialect.client === 'postgres';
    const sql = `UPDATE ?? SET state = 'processing', locked_by = ?, locked_at = ?, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM ?? WHERE (state = 'pending' AND available_at <= ?) OR (state = 'processing' AND locked_at < ?)
        ORDER BY id LIMIT ? ${isPg ? 'FOR UPDATE SKIP LOCKED' : ''}
      ) RETURNING id, topic, idempotency_key, payload, attempts`;
    const result = await strapi.db.connection.raw(sql, [qualified(), workerId, now, qualified(), now, now - options.leaseMs, limit]);
    const rows: any[] = isPg ? result.rows : result;
    return rows
      .map((r) => ({ id: Number(r.id), topic: r.topic, key: r.idempotency_key, payload: parseJson<Record<string, any>>(r.payload), attempt: Number(r.attempts) }))
      .sort((a, b) => a.id - b.id);
  }

  async function settle(job: OutboxJob, error: unknown) {
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

  async function runJob(job: OutboxJob) {
    const handler = handlers.get(job.topic);
    try {
      if (!handler) throw new PermanentDeliveryError(`no handler for topic ${job.topic}`);
      await handler(job);
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
    register(topic: OutboxTopic, handler: TopicHandler) {
      handlers.set(topic, handler);
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
