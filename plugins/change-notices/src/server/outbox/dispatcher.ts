import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Core } from '@strapi/strapi';
import { batchedWrite } from '../common/batching';
import type { DispatcherConfig } from '../config';
import { TABLES, parseJson, tableIn } from '../database/tables';
import { isTopic, parsePayload, PRIORITY, type OutboxTopic, type PayloadOf } from './topics';

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
  priority: number | string;
}

/** A claimed row before its payload is checked against its topic (that happens when it runs). */
interface Claimed {
  id: number;
  topic: string;
  key: string;
  payload: unknown;
  attempt: number;
  priority: number;
}

/** How a failure is stored on its outbox row (`last_error`): the error's name and message. */
export const outboxError = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** A failure that retrying cannot fix (a 4xx from a webhook, a malformed address): dead-letter at once. */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}

export type DispatcherOptions = Omit<DispatcherConfig, 'enabled' | 'nice'>;

/** Exponential backoff with ±20 % jitter, so a failing receiver is not hammered in lockstep. */
export function backoffMs(attempt: number, opts: Pick<DispatcherOptions, 'backoffBaseMs' | 'backoffMaxMs'>): number {
  const raw = Math.min(opts.backoffBaseMs * 2 ** Math.max(0, attempt - 1), opts.backoffMaxMs);
  return Math.round(raw * (0.8 + Math.random() * 0.4));
}

/**
 * Drains the outbox. Rows are claimed with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so several
 * worker processes share the work without taking the same row), most urgent first (the topic's
 * priority) and round-robin between lanes (one lane per notice), so a change's 10,000 emails share the
 * senders with the next change's instead of starving it. Each row goes to its topic's handler, then is
 * marked done, rescheduled with backoff, or parked as a dead letter after `maxAttempts`.
 * Delivery is at least once; handlers make it effectively once with idempotency keys.
 *
 * Running (`start`), `concurrency` loops each take the next claimed job, claiming a few more when the
 * local buffer is empty, and `truthLanes` more loops take truth work only; a commit that enqueued
 * work wakes them (`kick`; across processes LISTEN/NOTIFY on PostgreSQL, a watched file on SQLite),
 * otherwise they poll every `pollMs`.
 */
export const createDispatcherService = ({ strapi }: { strapi: Core.Strapi }) => {
  const handlers = new Map<OutboxTopic, TopicHandler<never>>();
  const workerId = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  // Set from the plugin config by `configure` at bootstrap, before the first round.
  let options: DispatcherOptions = { batchSize: 100, concurrency: 8, truthLanes: 4, pollMs: 250, leaseMs: 60_000, maxAttempts: 8, backoffBaseMs: 2000, backoffMaxMs: 3_600_000 };
  let stopped = true;
  let lanes: Promise<void>[] = [];
  /**
   * Lanes share a buffer of claimed jobs per group: the general lanes take any row, most urgent
   * first; the truth lanes only rows of PRIORITY.truth (a change's notice and inbox rows, search), so
   * those never wait for a lane that is busy sending.
   */
  interface LaneGroup {
    maxPriority: number | null;
    size: number;
    buffer: Claimed[];
    refilling: Promise<number> | null;
  }
  let groups: LaneGroup[] = [];
  let sleepers: (() => void)[] = [];
  let wakeAgain = false;
  let listener: { close(): Promise<void> } | null = null;

  const isPg = () => strapi.db.dialect.client === 'postgres';
  const qualified = () => {
    const schema = strapi.db.getSchemaName();
    return schema ? `${schema}.${TABLES.outbox}` : TABLES.outbox;
  };

  /**
   * Claims up to `limit` due rows, most urgent first and fair between lanes. On PostgreSQL the ranked
   * candidates are re-checked and locked row by row (`FOR UPDATE OF o SKIP LOCKED`), so two workers
   * never take the same row: a row another worker claimed meanwhile no longer passes the state check.
   */
  async function claim(limit: number, maxPriority: number | null = null): Promise<Claimed[]> {
    const now = Date.now();
    const upTo = maxPriority == null ? '' : ` AND priority <= ${Number(maxPriority)}`;
    const due = `((state = 'pending' AND available_at <= ?) OR (state = 'processing' AND locked_at < ?))${upTo}`;
    const ranked = `SELECT id, ROW_NUMBER() OVER (ORDER BY priority, lane_rank, id) AS ord FROM (
        SELECT id, priority, ROW_NUMBER() OVER (PARTITION BY priority, lane ORDER BY id) AS lane_rank FROM ?? WHERE ${due}
      ) lanes ORDER BY ord LIMIT ?`;
    const pick = isPg()
      ? `SELECT o.id FROM ?? o JOIN (${ranked}) r ON r.id = o.id WHERE ${due.replace(/state|available_at|locked_at|priority/g, 'o.$&')} ORDER BY r.ord LIMIT ? FOR UPDATE OF o SKIP LOCKED`
      : ranked.replace(/^SELECT id, /, 'SELECT id FROM (SELECT id, ') + ') picked';
    const lease = now - options.leaseMs;
    const bindings = isPg() ? [qualified(), qualified(), now, lease, limit * 2, now, lease, limit] : [qualified(), now, lease, limit];
    const sql = `UPDATE ?? SET state = 'processing', locked_by = ?, locked_at = ?, attempts = attempts + 1
      WHERE id IN (${pick}) RETURNING id, topic, idempotency_key, payload, attempts, priority`;
    const result = await strapi.db.connection.raw(sql, [qualified(), workerId, now, ...bindings]);
    const rows: ClaimedRow[] = isPg() ? result.rows : result;
    return rows
      .map((r) => ({ id: Number(r.id), topic: r.topic, key: r.idempotency_key, payload: parseJson<unknown>(r.payload), attempt: Number(r.attempts), priority: Number(r.priority) }))
      .sort((a, b) => a.priority - b.priority || a.id - b.id);
  }

  // Rows that succeeded together are marked done by one statement (common/batching.ts).
  const markDone = batchedWrite((ids) =>
    tableIn(strapi, null, TABLES.outbox).whereIn('id', [...ids]).andWhere({ locked_by: workerId }).update({ state: 'done', done_at: Date.now(), locked_by: null, locked_at: null, last_error: null })
  );

  async function settle(job: { id: number; topic: string; attempt: number }, error: unknown) {
    const outbox = () => tableIn(strapi, null, TABLES.outbox).where({ id: job.id, locked_by: workerId });
    if (!error) {
      await markDone(job.id);
      return;
    }
    const message = outboxError(error);
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

  async function runJob(job: Claimed) {
    try {
      if (!isTopic(job.topic)) throw new PermanentDeliveryError(`unknown topic ${job.topic}`);
      const handler = handlers.get(job.topic) as TopicHandler | undefined;
      if (!handler) throw new PermanentDeliveryError(`no handler for topic ${job.topic}`);
      const payload = parsePayload(job.topic, job.payload);
      if (!payload) throw new PermanentDeliveryError(`the payload does not fit topic ${job.topic}`);
      await handler({ id: job.id, key: job.key, attempt: job.attempt, topic: job.topic, payload });
      await settle(job, null);
    } catch (err) {
      await settle(job, err);
    }
  }

  /** One round: claim a batch, run it with `concurrency` at once. Tests and scripts drive it directly. */
  async function runBatch(): Promise<number> {
    const jobs = await claim(options.batchSize);
    let next = 0;
    const workers = Array.from({ length: Math.min(options.concurrency, jobs.length) }, async () => {
      while (next < jobs.length) await runJob(jobs[next++]!);
    });
    await Promise.all(workers);
    return jobs.length;
  }

  /**
   * Claims jobs for half of the group's lanes: a row committed now waits for at most that many
   * claimed jobs ahead of it (a fan-out's next send job, an urgent notice's first one), and a claim
   * (which ranks every due row: ~2 ms at 2,000) is made once per few jobs, not per job.
   */
  function refill(group: LaneGroup): Promise<number> {
    group.refilling ??= (async () => {
      wakeAgain = false;
      try {
        const jobs = await claim(Math.min(options.batchSize, Math.ceil(group.size / 2)), group.maxPriority);
        group.buffer.push(...jobs);
        return jobs.length;
      } catch (err) {
        strapi.log.error(`[change-notices] dispatcher claim failed: ${err instanceof Error ? err.message : String(err)}`);
        return 0;
      } finally {
        group.refilling = null;
      }
    })();
    return group.refilling;
  }

  /** The next job for a lane; when nothing is due, the lane sleeps until a wake-up or the next poll. */
  async function nextJob(group: LaneGroup): Promise<Claimed | null> {
    while (!stopped) {
      const job = group.buffer.shift();
      if (job) return job;
      const claimed = await refill(group);
      if (!group.buffer.length && claimed === 0 && !wakeAgain && !stopped) await sleep(options.pollMs);
    }
    return null;
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers = sleepers.filter((s) => s !== done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.push(done);
    });

  function wake() {
    wakeAgain = true;
    for (const s of [...sleepers]) s();
  }

  async function lane(group: LaneGroup) {
    while (!stopped) {
      const job = await nextJob(group);
      if (!job) continue;
      try {
        await runJob(job);
      } catch (err) {
        // Its row could not be settled (the database refused the write): the lease hands it to a
        // later claim; the lane lives on.
        strapi.log.error(`[change-notices] outbox #${job.id} ${job.topic} could not be settled: ${err instanceof Error ? err.message : String(err)}`);
        await sleep(options.pollMs);
      }
    }
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
    /** Starts the worker loops, and on PostgreSQL listens for commits of other processes. */
    start() {
      if (!stopped) return;
      stopped = false;
      groups = [
        { maxPriority: null, size: options.concurrency, buffer: [], refilling: null },
        { maxPriority: PRIORITY.truth, size: options.truthLanes, buffer: [], refilling: null },
      ].filter((g) => g.size > 0);
      lanes = groups.flatMap((g) => Array.from({ length: g.size }, () => lane(g)));
      if (!isPg()) listener = watchSqliteCommits(strapi, () => wake());
      else {
        listenForCommits(strapi, () => wake())
          .then((l) => {
            if (stopped) void l.close();
            else listener = l;
          })
          .catch((err: unknown) => strapi.log.warn(`[change-notices] LISTEN failed, polling every ${options.pollMs} ms: ${err instanceof Error ? err.message : String(err)}`));
      }
    },
    /** Wakes the loops now (after a commit that enqueued work) instead of at the next poll. */
    kick() {
      if (!stopped) wake();
    },
    async stop() {
      stopped = true;
      wake();
      await Promise.all(lanes);
      lanes = [];
      await listener?.close();
      listener = null;
      // Claimed but never started: give them back rather than let them wait out the lease.
      const unstarted = groups.flatMap((g) => g.buffer.map((j) => j.id));
      groups = [];
      if (unstarted.length) {
        await tableIn(strapi, null, TABLES.outbox).whereIn('id', unstarted).andWhere({ locked_by: workerId }).update({ state: 'pending', locked_by: null, locked_at: null, attempts: strapi.db.connection.raw('attempts - 1') });
      }
    },
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

/**
 * SQLite has no NOTIFY: a commit that enqueued work touches a file beside the database
 * (`touchSqliteWake`, after the commit), which every worker watches (inotify on Linux), so the
 * worker hears of the web process's change within milliseconds instead of at the next poll. Without
 * a database file (in memory) polling alone finds the work.
 */
export function sqliteWakeFile(strapi: Core.Strapi): string | null {
  const filename = strapi.config.get('database.connection.connection.filename');
  return typeof filename === 'string' && filename && filename !== ':memory:' ? `${filename}-outbox-wake` : null;
}

/** Tells the SQLite workers that rows were committed (see sqliteWakeFile). Best effort: polling is the fallback. */
export function touchSqliteWake(strapi: Core.Strapi): void {
  const file = sqliteWakeFile(strapi);
  if (file) fs.writeFile(file, String(Date.now()), () => undefined);
}

function watchSqliteCommits(strapi: Core.Strapi, onCommit: () => void): { close(): Promise<void> } | null {
  const file = sqliteWakeFile(strapi);
  if (!file) return null;
  let watcher: fs.FSWatcher;
  try {
    if (!fs.existsSync(file)) fs.writeFileSync(file, '');
    watcher = fs.watch(file, { persistent: false }, () => onCommit());
  } catch (err) {
    strapi.log.warn(`[change-notices] cannot watch ${file}, polling every ${strapi.config.get('plugin::change-notices.dispatcher.pollMs')} ms: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
  watcher.on('error', () => watcher.close());
  return {
    async close() {
      watcher.close();
    },
  };
}

/** The channel PostgreSQL notifies when an outbox row was committed (outbox.ts sends it). */
export const OUTBOX_CHANNEL = 'cn_outbox';

interface PgListenClient {
  query(sql: string): Promise<unknown>;
  on(event: 'notification', cb: () => void): void;
  on(event: 'error', cb: (err: Error) => void): void;
  removeAllListeners(event?: string): void;
}

/**
 * LISTENs on one connection taken from Strapi's pool for as long as the dispatcher runs. A lost
 * connection is replaced after a second; meanwhile polling still finds the work.
 */
async function listenForCommits(strapi: Core.Strapi, onCommit: () => void): Promise<{ close(): Promise<void> }> {
  const pool = strapi.db.connection.client as { acquireConnection(): Promise<PgListenClient>; releaseConnection(c: PgListenClient): Promise<void> };
  let closed = false;
  let conn: PgListenClient | null = null;
  const connect = async (): Promise<void> => {
    conn = await pool.acquireConnection();
    const mine = conn;
    mine.on('notification', onCommit);
    mine.on('error', () => {
      mine.removeAllListeners('notification');
      if (!closed) setTimeout(() => void connect().catch(() => undefined), 1000);
    });
    await mine.query(`LISTEN ${OUTBOX_CHANNEL}`);
  };
  await connect();
  return {
    async close() {
      closed = true;
      const c = conn;
      conn = null;
      if (!c) return;
      c.removeAllListeners('notification');
      await c.query(`UNLISTEN ${OUTBOX_CHANNEL}`).catch(() => undefined);
      await pool.releaseConnection(c).catch(() => undefined);
    },
  };
}

export type DispatcherService = ReturnType<typeof createDispatcherService>;
