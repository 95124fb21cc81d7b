/**
 * `npm run bench:queue`: the plugin's outbox beside two proven PostgreSQL job queues, graphile-worker
 * and pg-boss, on the same machine in the same run.
 *
 * Each repetition runs the three queues one after the other (A B C, then C B A, …), each on a fresh
 * scratch database in a suite process of its own, which enqueues; the handlers run in two worker
 * child processes on the same database, as in production (the web process commits, a worker runs the
 * job). Every handler run is counted in a table with a unique key (bench_tally), which is where the
 * times, the order and the duplicates are read from. Per queue:
 * - the p50 of 200 change transactions that update a row of a small app table and enqueue one keyed
 *   job in the same transaction;
 * - job keys: the same key enqueued twice while the first is pending, and again after it ran;
 * - priorities: 500 low jobs committed, then 1 high one, while one worker (concurrency 8) works;
 * - wake-up: commit → handler start for 100 jobs 50 ms apart, the worker idle;
 * - throughput: `--jobs` jobs committed while the workers wait, then worked by 1 and by 2 processes,
 *   with a no-op handler and with 3 ms of I/O, from the first handler start to the last handler end.
 * The outbox is the real plugin (outbox.enqueue, dispatcher), in a Strapi booted on the scratch
 * database. Prints a table and writes bench-results/queue.md. Timings are measured, never asserted.
 *
 * Options: --reps 2, --jobs 10000, --pgboss-notify true|false (pg-boss 12's opt-in LISTEN/NOTIFY;
 * without it pg-boss polls at its minimum, 0.5 s), --queues outbox,graphile-worker,pg-boss (a subset).
 * PostgreSQL: CANDOR_TEST_PG_URL.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import pg from 'pg';
import { z } from 'zod';
import { parseBenchOptions } from './cli';
import { startTestCms, type TestCms } from '../../cms/tests/harness';
import { outboxJob } from '../../plugins/change-notices/src/server/outbox/topics';
import { CMS_DIR } from '../lib/paths';
import { createTestDatabase, probePostgres, TEST_PG_URL } from '../lib/postgres';
import { now } from './smtp-sink';
import { ms, report } from './table';

const here = fileURLToPath(import.meta.url);
const QUEUES = ['outbox', 'graphile-worker', 'pg-boss'] as const;
type QueueName = (typeof QUEUES)[number];
const LABEL: Record<QueueName, string> = { outbox: 'Candor outbox (change-notices)', 'graphile-worker': 'graphile-worker 0.18.0', 'pg-boss': 'pg-boss 12.38.0' };
const CONCURRENCY = 8;
const IO_MS = 3;
/** The pg-boss queue, and the graphile-worker task. */
const JOB_NAME = 'bench';

const optionsSchema = z.object({
  reps: z.coerce.number().int().min(1).default(2),
  jobs: z.coerce.number().int().min(100).default(10_000),
  'pgboss-notify': z.enum(['true', 'false']).default('true'),
  queues: z
    .string()
    .transform((v) => v.split(',').filter(Boolean))
    .pipe(z.array(z.enum(QUEUES)).min(1))
    .default([...QUEUES]),
  // Internal: what a child process is.
  role: z.enum(['main', 'suite', 'worker']).default('main'),
  queue: z.enum(QUEUES).optional(),
  db: z.string().optional(),
});
const options = parseBenchOptions('bench:queue', optionsSchema, 'npm run bench:queue -- [--reps 2] [--jobs 10000] [--pgboss-notify true|false] [--queues outbox,graphile-worker,pg-boss]');
const pgbossNotify = options['pgboss-notify'] === 'true';

const log = (text: string) => console.log(`  ${new Date().toISOString().slice(11, 19)} ${text}`);
const pct = (values: number[], p: number) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};
/** The middle value, or the mean of the two middle ones (2 repetitions give their mean, not the lower). */
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

class BenchError extends Error {}

async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 180_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new BenchError(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Handlers sleep 3 ms (stand-in I/O) for `io:` and `prio:` jobs, else return at once. */
const delayOf = (key: string) => (key.startsWith('io') || key.startsWith('prio') ? IO_MS : 0);

/** A job as the bench sees it: its key and how the suite asks for it. */
interface BenchJob {
  key: string;
  high?: boolean;
}

/** A queue, from the side that enqueues (the suite). */
interface Producer {
  /** One change: update an app row and enqueue `job` in the same transaction; `beforeCommit` runs just before COMMIT. */
  change(job: BenchJob, beforeCommit?: () => void): Promise<void>;
  /** Many jobs in few transactions (the backlog for priorities and throughput). */
  enqueueMany(jobs: BenchJob[]): Promise<void>;
  settings: string;
  close(): Promise<void>;
}

/** A queue, from the side that works (a worker process): start and stop taking jobs. */
interface Consumer {
  start(handler: (key: string) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
  close(): Promise<void>;
}

const APP_TABLE = 'bench_items';
const appRow = (key: string) => (Math.abs([...key].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7)) % 10) + 1;

// ---------------------------------------------------------------------------------------------
// The outbox: the real plugin in a Strapi on the scratch database.

/** mail.send (PRIORITY.mail 15) is the high job; notice.digest (PRIORITY.batch 30) the low one. */
function outboxMessage(job: BenchJob) {
  return job.high
    ? outboxJob('mail.send', { ref: job.key, to: 'bench@candor.local', subject: 'bench', text: '', html: '' })
    : outboxJob('notice.digest', { userId: 1, deliveryIds: [], cadence: 'daily', period: job.key });
}
const outboxKeyOf = (topic: string, payload: { ref?: string; period?: string }) => (topic === 'mail.send' ? payload.ref! : payload.period!);

async function bootStrapi(db: string): Promise<TestCms> {
  // The test harness boots the very app on a given database without a build or Meilisearch
  // (scripts/lib/in-process.ts would recompile the CMS in every process).
  return startTestCms({ database: { client: 'postgres', url: db }, env: { LOG_LEVEL: 'error', SEARCH_RECONCILE_AT_BOOT: 'false' } });
}

async function outboxProducer(db: string): Promise<Producer> {
  const cms = await bootStrapi(db);
  const { strapi } = cms;
  const outbox = strapi.plugin('change-notices').service('outbox');
  await strapi.db.connection.raw(`CREATE TABLE IF NOT EXISTS ${APP_TABLE} (id int PRIMARY KEY, n int NOT NULL)`);
  await strapi.db.connection.raw(`INSERT INTO ${APP_TABLE} SELECT g, 0 FROM generate_series(1, 10) g ON CONFLICT DO NOTHING`);
  const d = strapi.plugin('change-notices').service('dispatcher').options;
  return {
    settings: `the plugin's dispatcher as configured here: concurrency ${CONCURRENCY} (+${d.truthLanes} truth lanes that take priority-0 rows only, idle here), claims ${Math.ceil(CONCURRENCY / 4)} rows per refill, LISTEN/NOTIFY (pg_notify in the change's transaction) with a ${d.pollMs} ms poll behind it; enqueue = outbox.enqueue(trx, [outboxJob(...)]) in strapi.db.transaction (a count, then INSERT ... ON CONFLICT (idempotency_key) DO NOTHING); high = mail.send (priority 15), low = notice.digest (30)`,
    async change(job, beforeCommit) {
      await strapi.db.transaction(async ({ trx }: { trx: Knex.Transaction }) => {
        await trx.raw(`UPDATE ${APP_TABLE} SET n = n + 1 WHERE id = ?`, [appRow(job.key)]);
        await outbox.enqueue(trx, [outboxMessage(job)]);
        beforeCommit?.();
      });
    },
    async enqueueMany(jobs) {
      for (let i = 0; i < jobs.length; i += 500) {
        await strapi.db.transaction(async ({ trx }: { trx: Knex.Transaction }) => {
          await outbox.enqueue(trx, jobs.slice(i, i + 500).map(outboxMessage));
        });
      }
    },
    close: () => cms.stop(),
  };
}

async function outboxConsumer(db: string): Promise<Consumer> {
  const cms = await bootStrapi(db);
  const dispatcher = cms.strapi.plugin('change-notices').service('dispatcher');
  dispatcher.configure({ concurrency: CONCURRENCY });
  return {
    async start(handler) {
      // The bench's handler replaces the topics' own (which would send mail).
      for (const topic of ['mail.send', 'notice.digest'] as const) dispatcher.register(topic, (job: { topic: string; payload: { ref?: string; period?: string } }) => handler(outboxKeyOf(job.topic, job.payload)));
      dispatcher.start();
    },
    stop: () => dispatcher.stop(),
    close: () => cms.stop(),
  };
}

// ---------------------------------------------------------------------------------------------
// graphile-worker: add_job in the change's transaction (its SQL API); a runner per worker process.

async function withTransaction(pool: pg.Pool, body: (c: pg.PoolClient) => Promise<void>, beforeCommit?: () => void) {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await body(c);
    beforeCommit?.();
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

async function appTable(pool: pg.Pool) {
  await pool.query(`CREATE TABLE IF NOT EXISTS ${APP_TABLE} (id int PRIMARY KEY, n int NOT NULL)`);
  await pool.query(`INSERT INTO ${APP_TABLE} SELECT g, 0 FROM generate_series(1, 10) g ON CONFLICT DO NOTHING`);
}

const quietLogger = async () => {
  const { Logger } = await import('graphile-worker');
  return new Logger(() => (level: string, message: string) => {
    if (level === 'error') console.error(`graphile-worker: ${message}`);
  });
};
/** graphile-worker runs numerically smaller priorities first. */
const graphilePriority = (job: BenchJob) => (job.high ? 0 : 10);

async function graphileProducer(db: string): Promise<Producer> {
  const { runMigrations } = await import('graphile-worker');
  await runMigrations({ connectionString: db, logger: await quietLogger() });
  const pool = new pg.Pool({ connectionString: db, max: 4 });
  await appTable(pool);
  return {
    settings: `run() with concurrency ${CONCURRENCY}, pollInterval 2000 ms (default; new jobs wake it by LISTEN), maxPoolSize 10, localQueue off and completeJobBatchDelay off (defaults, no batching); enqueue = SELECT graphile_worker.add_job(..., job_key => ..., priority => ...) on the change's pg connection; backlogs by graphile_worker.add_jobs (1,000 a statement); high = priority 0, low = 10`,
    async change(job, beforeCommit) {
      await withTransaction(pool, async (c) => {
        await c.query(`UPDATE ${APP_TABLE} SET n = n + 1 WHERE id = $1`, [appRow(job.key)]);
        await c.query('SELECT graphile_worker.add_job($1, $2::json, job_key => $3, priority => $4)', [JOB_NAME, JSON.stringify({ key: job.key }), job.key, graphilePriority(job)]);
      }, beforeCommit);
    },
    async enqueueMany(jobs) {
      for (let i = 0; i < jobs.length; i += 1000) {
        const specs = jobs.slice(i, i + 1000).map((j) => ({ identifier: JOB_NAME, payload: { key: j.key }, job_key: j.key, priority: graphilePriority(j) }));
        await pool.query('SELECT graphile_worker.add_jobs(ARRAY(SELECT json_populate_recordset(NULL::graphile_worker.job_spec, $1::json)))', [JSON.stringify(specs)]);
      }
    },
    close: () => pool.end(),
  };
}

async function graphileConsumer(db: string): Promise<Consumer> {
  const { run } = await import('graphile-worker');
  const logger = await quietLogger();
  let runner: Awaited<ReturnType<typeof run>> | null = null;
  return {
    async start(handler) {
      runner = await run({
        connectionString: db,
        concurrency: CONCURRENCY,
        noHandleSignals: true,
        logger,
        crontab: '',
        taskList: { [JOB_NAME]: async (payload) => handler((payload as { key: string }).key) },
      });
    },
    async stop() {
      await runner?.stop();
      runner = null;
    },
    async close() {
      await runner?.stop();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// pg-boss: send() with `db` (the change's pg connection); work() per worker process.

/** pg-boss fetches numerically larger priorities first. */
const bossPriority = (job: BenchJob) => (job.high ? 10 : 0);
/** 'exclusive': one job per singletonKey queued or active (the standard policy does not dedupe on a key alone). */
const BOSS_QUEUE = { policy: 'exclusive' as const, notify: pgbossNotify };
/** Jobs per fetch: the outbox claims 2 per refill at concurrency 8. */
const BOSS_BATCH = 2;

async function startBoss(db: string) {
  const { PgBoss } = await import('pg-boss');
  const boss = new PgBoss({ connectionString: db, useListenNotify: pgbossNotify, max: 10 });
  boss.on('error', (err: Error) => console.error(`pg-boss: ${err.message}`));
  await boss.start();
  return boss;
}

async function pgBossProducer(db: string): Promise<Producer> {
  const boss = await startBoss(db);
  await boss.createQueue(JOB_NAME, BOSS_QUEUE);
  const pool = new pg.Pool({ connectionString: db, max: 4 });
  await appTable(pool);
  return {
    settings: `queue policy 'exclusive' (dedupes a singletonKey while queued or active), ${pgbossNotify ? 'useListenNotify + queue notify: true (opt-in LISTEN/NOTIFY since pg-boss 12), ' : 'LISTEN/NOTIFY off, '}pollingIntervalSeconds and notifyPollingIntervalSeconds 0.5 (the minimum); work() with localConcurrency ${CONCURRENCY}, batchSize ${BOSS_BATCH} and burstWhenBatchFull (a worker waits the interval after each fetch that is not full: with batchSize 1 and no burst each worker ran one job per interval), the batch's jobs run one after the other; enqueue = send(name, data, { singletonKey, priority, db }) where db runs pg-boss's SQL on the change's pg connection; backlogs by insert() (1,000 a call); high = priority 10, low = 0`,
    async change(job, beforeCommit) {
      await withTransaction(pool, async (c) => {
        await c.query(`UPDATE ${APP_TABLE} SET n = n + 1 WHERE id = $1`, [appRow(job.key)]);
        const db = { executeSql: (text: string, values?: unknown[]) => c.query(text, values) };
        await boss.send(JOB_NAME, { key: job.key }, { singletonKey: job.key, priority: bossPriority(job), db });
      }, beforeCommit);
    },
    async enqueueMany(jobs) {
      for (let i = 0; i < jobs.length; i += 1000) {
        await boss.insert(JOB_NAME, jobs.slice(i, i + 1000).map((j) => ({ data: { key: j.key }, singletonKey: j.key, priority: bossPriority(j) })));
      }
    },
    async close() {
      await boss.stop({ graceful: false });
      await pool.end();
    },
  };
}

async function pgBossConsumer(db: string): Promise<Consumer> {
  const boss = await startBoss(db);
  return {
    async start(handler) {
      // A pg-boss worker waits its polling interval after every fetch unless the fetch came back full
      // (burst): with batchSize 1 it would run one job per interval.
      await boss.work<{ key: string }>(JOB_NAME, { localConcurrency: CONCURRENCY, batchSize: BOSS_BATCH, burstWhenBatchFull: true, pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 0.5 }, async (jobs) => {
        for (const job of jobs) await handler(job.data.key);
      });
    },
    stop: () => boss.offWork(JOB_NAME, { wait: true }),
    close: () => boss.stop({ graceful: false }),
  };
}

const producers: Record<QueueName, (db: string) => Promise<Producer>> = { outbox: outboxProducer, 'graphile-worker': graphileProducer, 'pg-boss': pgBossProducer };
const consumers: Record<QueueName, (db: string) => Promise<Consumer>> = { outbox: outboxConsumer, 'graphile-worker': graphileConsumer, 'pg-boss': pgBossConsumer };

// ---------------------------------------------------------------------------------------------
// Worker process: counts every handler run in bench_tally (key unique: a repeat bumps runs).

const TALLY_DDL = `CREATE TABLE IF NOT EXISTS bench_tally (key text PRIMARY KEY, runs int NOT NULL, started_at double precision NOT NULL, finished_at double precision NOT NULL)`;

type ToWorker = { cmd: 'start' | 'stop' | 'close' };
type FromWorker = { ready: true } | { done: ToWorker['cmd'] } | { error: string };

async function workerMain(queue: QueueName, db: string) {
  const tally = new pg.Pool({ connectionString: db, max: CONCURRENCY });
  const consumer = await consumers[queue](db);
  const handler = async (key: string) => {
    const startedAt = now();
    const delay = delayOf(key);
    if (delay) await sleep(delay);
    await tally.query('INSERT INTO bench_tally VALUES ($1, 1, $2, $3) ON CONFLICT (key) DO UPDATE SET runs = bench_tally.runs + 1', [key, startedAt, now()]);
  };
  const send = (m: FromWorker) => process.send!(m);
  process.on('message', (m: ToWorker) => {
    const step = m.cmd === 'start' ? consumer.start(handler) : m.cmd === 'stop' ? consumer.stop() : consumer.close().then(() => tally.end());
    step.then(
      () => {
        send({ done: m.cmd });
        if (m.cmd === 'close') setTimeout(() => process.exit(0), 100);
      },
      (err: unknown) => send({ error: `${m.cmd}: ${err instanceof Error ? err.stack : String(err)}` })
    );
  });
  send({ ready: true });
}

/** A worker child process and a way to tell it what to do. */
function spawnWorker(queue: QueueName, db: string) {
  const child: ChildProcess = fork(here, ['--role', 'worker', '--queue', queue, '--db', db, '--pgboss-notify', String(pgbossNotify)], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const waiting: { cmd: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  let failed: Error | null = null;
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (m: FromWorker) => {
      if ('ready' in m) resolve();
      else if ('done' in m) waiting.shift()?.resolve();
      else {
        failed = new BenchError(`${queue} worker: ${m.error}`);
        waiting.shift()?.reject(failed);
      }
    });
    child.on('exit', (code) => {
      const err = new BenchError(`${queue} worker exited (${code})`);
      reject(err);
      for (const w of waiting.splice(0)) w.reject(err);
    });
  });
  const tell = (cmd: ToWorker['cmd']) =>
    new Promise<void>((resolve, reject) => {
      if (failed) return reject(failed);
      waiting.push({ cmd, resolve, reject });
      child.send({ cmd });
    });
  return { ready, tell, kill: () => child.kill('SIGKILL') };
}

// ---------------------------------------------------------------------------------------------
// Suite process: one queue on one scratch database.

interface SuiteResult {
  queue: QueueName;
  settings: string;
  changeTxP50: number;
  dedupePending: boolean;
  dedupeAfterRun: boolean;
  lowBeforeHigh: number;
  wakeP50: number;
  wakeP95: number;
  /** jobs/s by scenario, e.g. 'noop-1'. */
  throughput: Record<string, number>;
  duplicates: number;
  missing: number;
}

async function suiteMain(queue: QueueName, db: string): Promise<SuiteResult> {
  const admin = new pg.Pool({ connectionString: db, max: 2 });
  await admin.query(TALLY_DDL);
  const producer = await producers[queue](db);
  const workers = [spawnWorker(queue, db), spawnWorker(queue, db)];
  try {
    await Promise.all(workers.map((w) => w.ready));
    const tallied = async (prefix: string) => (await admin.query<{ key: string; runs: number; started_at: number; finished_at: number }>('SELECT * FROM bench_tally WHERE key LIKE $1', [`${prefix}%`])).rows;
    const waitFor = async (prefix: string, n: number, timeoutMs?: number) => until(`${n} ${prefix} jobs`, async () => (await tallied(prefix)).length >= n && tallied(prefix), timeoutMs);

    // 1. Change transactions with one enqueue each (no worker running: only the write is timed).
    const txMs: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = now();
      await producer.change({ key: `tx:${i}`, high: true });
      txMs.push(now() - t0);
    }
    await workers[0]!.tell('start');
    await waitFor('tx:', 200, 20_000);
    log(`${queue}: change tx p50 ${ms(median(txMs))}`);

    // 2. Keys: twice while the first is pending (worker stopped), and again after the first ran.
    await workers[0]!.tell('stop');
    await producer.change({ key: 'dedupe:pending', high: true });
    await producer.change({ key: 'dedupe:pending', high: true });
    await workers[0]!.tell('start');
    await producer.change({ key: 'dedupe:after-run', high: true });
    await waitFor('dedupe:', 2);
    await producer.change({ key: 'dedupe:after-run', high: true });
    await sleep(2000); // longer than any poll interval here
    const runsOf = new Map((await tallied('dedupe:')).map((r) => [r.key, r.runs]));

    // 3. Priorities: 500 low committed, then 1 high, while the worker works (3 ms handler).
    await producer.enqueueMany(Array.from({ length: 500 }, (_, i) => ({ key: `prio:low:${i}` })));
    await producer.change({ key: 'prio:high', high: true });
    const prio = await waitFor('prio:', 501);
    const high = prio.find((r) => r.key === 'prio:high')!;
    const lowBeforeHigh = prio.filter((r) => r.key !== 'prio:high' && r.started_at < high.started_at).length;

    // 4. Wake-up: commit → handler start, one job every 50 ms, the worker idle in between.
    await sleep(1000);
    const committedAt = new Map<string, number>();
    for (let i = 0; i < 100; i++) {
      const key = `wake:${i}`;
      await producer.change({ key, high: true }, () => committedAt.set(key, now()));
      await sleep(50);
    }
    const wake = (await waitFor('wake:', 100)).map((r) => r.started_at - committedAt.get(r.key)!);
    await workers[0]!.tell('stop');
    log(`${queue}: wake-up p50 ${ms(pct(wake, 50))} p95 ${ms(pct(wake, 95))}, ${lowBeforeHigh} low before the high one`);

    // 5. Throughput: the backlog is committed while the workers wait, then 1 or 2 processes work it.
    const throughput: Record<string, number> = {};
    let duplicates = 0;
    let missing = 0;
    for (const procs of [1, 2]) {
      for (const kind of ['noop', 'io'] as const) {
        const prefix = `${kind}${procs}:`;
        await producer.enqueueMany(Array.from({ length: options.jobs }, (_, i) => ({ key: `${prefix}${i}` })));
        await Promise.all(workers.slice(0, procs).map((w) => w.tell('start')));
        await waitFor(prefix, options.jobs, 300_000).catch(() => undefined);
        await Promise.all(workers.slice(0, procs).map((w) => w.tell('stop')));
        const rows = await tallied(prefix);
        const span = Math.max(...rows.map((r) => r.finished_at)) - Math.min(...rows.map((r) => r.started_at));
        throughput[`${kind}-${procs}`] = rows.length / (span / 1000);
        duplicates += rows.reduce((a, r) => a + r.runs - 1, 0);
        missing += options.jobs - rows.length;
        log(`${queue}: ${kind}, ${procs} process(es): ${Math.round(throughput[`${kind}-${procs}`]!)} jobs/s`);
      }
    }
    return {
      queue,
      settings: producer.settings,
      changeTxP50: median(txMs),
      dedupePending: runsOf.get('dedupe:pending') === 1,
      dedupeAfterRun: runsOf.get('dedupe:after-run') === 1,
      lowBeforeHigh,
      wakeP50: pct(wake, 50),
      wakeP95: pct(wake, 95),
      throughput,
      duplicates,
      missing,
    };
  } finally {
    await Promise.all(workers.map((w) => w.tell('close').catch(() => w.kill())));
    await producer.close().catch(() => undefined);
    await admin.end();
  }
}

/** Runs one queue's suite in a child process on a fresh database and returns what it measured. */
async function runSuite(queue: QueueName): Promise<SuiteResult> {
  const scratch = await createTestDatabase(`bench_queue_${queue.replace(/-/g, '_')}`);
  try {
    return await new Promise<SuiteResult>((resolve, reject) => {
      const child = fork(here, ['--role', 'suite', '--queue', queue, '--db', scratch.url, '--jobs', String(options.jobs), '--pgboss-notify', String(pgbossNotify)], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
      let result: SuiteResult | undefined;
      child.on('message', (m: { result?: SuiteResult; error?: string }) => {
        if (m.result) result = m.result;
        if (m.error) reject(new BenchError(`${queue}: ${m.error}`));
      });
      child.on('exit', (code) => (result ? resolve(result) : reject(new BenchError(`${queue} suite exited (${code}) without a result`))));
    });
  } finally {
    await scratch.drop();
  }
}

async function main() {
  const down = await probePostgres();
  if (down) throw new BenchError(`PostgreSQL does not answer (${down}): set CANDOR_TEST_PG_URL or start it.`);
  const loadBefore = os.loadavg();
  const started = Date.now();
  const results: SuiteResult[] = [];
  for (let rep = 0; rep < options.reps; rep++) {
    // Interleaved, the order reversed every other repetition, so drift over the run hits all three.
    const order = rep % 2 === 0 ? [...options.queues] : [...options.queues].reverse();
    for (const queue of order) {
      console.log(`\nrepetition ${rep + 1}/${options.reps}: ${queue}`);
      results.push(await runSuite(queue));
    }
  }
  const loadAfter = os.loadavg();

  const of = (q: QueueName) => results.filter((r) => r.queue === q);
  const med = (q: QueueName, pick: (r: SuiteResult) => number) => median(of(q).map(pick));
  const rate = (q: QueueName, key: string) => Math.round(med(q, (r) => r.throughput[key]!)).toLocaleString('en');
  const yes = (q: QueueName, pick: (r: SuiteResult) => boolean) => (of(q).every(pick) ? 'yes' : of(q).some(pick) ? 'sometimes' : 'no');
  const rows = options.queues.map((q) => [
    LABEL[q],
    ms(med(q, (r) => r.changeTxP50)),
    `${yes(q, (r) => r.dedupePending)} / ${yes(q, (r) => r.dedupeAfterRun)}`,
    med(q, (r) => r.lowBeforeHigh),
    `${ms(med(q, (r) => r.wakeP50))} / ${ms(med(q, (r) => r.wakeP95))}`,
    `${rate(q, 'noop-1')} / ${rate(q, 'noop-2')}`,
    `${rate(q, 'io-1')} / ${rate(q, 'io-2')}`,
    `${of(q).reduce((a, r) => a + r.duplicates, 0)}${of(q).some((r) => r.missing) ? ` (${of(q).reduce((a, r) => a + r.missing, 0)} never ran)` : ''}`,
  ]);
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  report(
    'queue',
    `The outbox beside graphile-worker and pg-boss on PostgreSQL (${options.jobs.toLocaleString('en')} jobs per throughput run)`,
    ['Queue', 'Change tx with enqueue (p50)', 'Dedupe ok: pending / after run', 'Low jobs before the high one', 'Wake-up p50 / p95', 'No-op jobs/s, 1 / 2 processes', `${IO_MS} ms I/O jobs/s, 1 / 2 processes`, 'Duplicates'],
    rows,
    [
      `Medians over ${options.reps} repetition${options.reps === 1 ? '' : 's'} (order A B C, then C B A, …), each queue on a fresh scratch database (PostgreSQL ${await serverVersion()}); duplicates (handler runs beyond one per job) and jobs that never ran summed over all throughput runs. Total ${Math.round((Date.now() - started) / 1000)} s.`,
      'Change tx: BEGIN, UPDATE a row of a 10-row app table, enqueue one keyed job, COMMIT; p50 of 200, no worker running.',
      'Dedupe: a key enqueued twice while its first job is pending (worker stopped), and a key enqueued again after its job ran; "yes" when exactly one handler run was counted for it. Job keys of graphile-worker and singleton keys of pg-boss only cover pending (pg-boss: and active) jobs; the outbox keeps done rows, so its key is an idempotency key for good.',
      `Priorities: 500 low jobs committed in one go, then 1 high one in a change transaction, while 1 worker process (concurrency ${CONCURRENCY}, ${IO_MS} ms handler) works; the number of low jobs whose handler started before the high one's.`,
      'Wake-up: from just before COMMIT (in the suite process) to the handler start (in the worker process), 100 jobs 50 ms apart, the worker idle.',
      `Throughput: the backlog committed while the workers wait, then started; jobs / (last handler end − first handler start). Worker processes are children, concurrency ${CONCURRENCY} each. Every handler (no-op or ${IO_MS} ms setTimeout) ends with one INSERT ... ON CONFLICT into bench_tally (key unique), from which runs, order and duplicates are read; that write is in every queue's numbers.`,
      ...options.queues.map((q) => `${LABEL[q]}: ${of(q)[0]?.settings ?? ''}.`),
      // The spread behind the medians, for the throughput columns where it is widest.
      `Jobs/s per repetition (no-op 1, no-op 2, I/O 1, I/O 2 processes): ${options.queues.map((q) => `${LABEL[q]} ${of(q).map((r) => ['noop-1', 'noop-2', 'io-1', 'io-2'].map((k) => Math.round(r.throughput[k]!)).join('/')).join(', ')}`).join('; ')}.`,
      `Versions: Node ${process.versions.node}, graphile-worker 0.18.0, pg-boss 12.38.0, Strapi ${strapiVersion()}, the plugin at this commit. Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GB; load average before ${load(loadBefore)}, after ${load(loadAfter)}. PostgreSQL runs on the same machine.`,
      `The outbox's Strapi boots through cms/tests/harness.ts (createStrapi().load() on the scratch database, no build, no Meilisearch); scripts/lib/in-process.ts would recompile the CMS in each of the 3 processes per run.`,
    ]
  );
}

async function serverVersion() {
  const c = new pg.Client({ connectionString: TEST_PG_URL });
  await c.connect();
  const v = (await c.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  await c.end();
  return v;
}

/** The Strapi the CMS runs. */
const strapiVersion = () => (createRequire(path.join(CMS_DIR, 'package.json'))('@strapi/strapi/package.json') as { version: string }).version;

if (options.role === 'worker') {
  await workerMain(options.queue!, options.db!);
} else if (options.role === 'suite') {
  try {
    const result = await suiteMain(options.queue!, options.db!);
    process.send!({ result });
    process.exit(0);
  } catch (err) {
    process.send!({ error: err instanceof Error ? err.stack : String(err) });
    process.exit(1);
  }
} else {
  try {
    await main();
    process.exit(0);
  } catch (err) {
    console.error(err instanceof BenchError ? `bench:queue: ${err.message}` : err);
    process.exit(1);
  }
}
