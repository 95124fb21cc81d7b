/**
 * `npm run bench:notices`: truth and speed at 10,000 reps, on the process layout `npm start` runs.
 *
 * Per scenario (SQLite or PostgreSQL, 1 or 2 worker processes) it starts the real stack (scripts/lib/
 * stack.ts: Meilisearch, the web Strapi, CANDOR_WORKERS outbox workers, the built portal) on a fresh
 * database with the demo content, its email going to a real SMTP sink (smtp-sink.ts). Then:
 * - creates N subscribed reps (seed-reps.ts, a short-lived Strapi process on the same database);
 * - times the portal as a signed-in rep (the changed item's page and `/api/search`) while idle;
 * - the marketer scales back one item through Strapi's REST API (change A) and, 1 s later, another
 *   (change B); for each it times change → every inbox delivery (cn_deliveries, polled), → the first
 *   email at the sink, → every email at the sink, while the same portal requests keep running.
 * Once per run the baseline: the same nodemailer Strapi's provider uses, pooled with the same pool
 * size, sends N copies of a Candor notice email to the same sink.
 * Prints one table and writes bench-results/notices.md. Timings are measured, never asserted.
 *
 * Options: --reps N (10000), --db sqlite|postgres|both (both), --workers 1,2 (1,2; SQLite runs one
 * worker unless --sqlite-workers says otherwise), --rate R (portal requests/s per endpoint, 5),
 * --idle S (seconds of idle portal timing, 8), --keep-logs (the services' logs). PostgreSQL: CANDOR_TEST_PG_URL (a server where the
 * bench may create and drop a database). Needs a build: `npm run build -- --no-admin`.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';
import type NodemailerModule from 'nodemailer';
import { simpleParser } from 'mailparser';
import { z } from 'zod';
import { parseBenchOptions } from './cli';
import type { SharedDatabase } from '../../cms/tests/harness';
import { noDelaySmtpSocket } from '../../cms/src/utils/smtp-socket';
import { CMS_DIR, PORTAL_DIR } from '../lib/paths';
import { freePort, isPortFree } from '../lib/ports';
import { createTestDatabase, probePostgres, TEST_PG_URL } from '../lib/postgres';
import { SECRET_NAMES } from '../lib/secrets';
import { launchStack, type Stack } from '../lib/stack';
import { now, startSmtpSink, type SmtpSink } from './smtp-sink';
import { ms, report, s } from './table';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
// The very copies Strapi runs: its database layer's knex, its email provider's nodemailer.
const fromCms = (pkg: string) => createRequire(require.resolve(pkg, { paths: [CMS_DIR] }));
const knex = fromCms('@strapi/database')('knex') as (config: Knex.Config) => Knex;
const nodemailer = fromCms('@strapi/provider-email-nodemailer')('nodemailer') as typeof NodemailerModule;

const workerCounts = z
  .string()
  .transform((v) => v.split(',').filter(Boolean).map(Number))
  .pipe(z.array(z.number().int().min(1).max(8)).min(1));
const optionsSchema = z.object({
  reps: z.coerce.number().int().min(1).default(10_000),
  db: z.enum(['sqlite', 'postgres', 'both']).default('both'),
  workers: workerCounts.default([1, 2]),
  'sqlite-workers': workerCounts.default([1]),
  rate: z.coerce.number().positive().default(5),
  idle: z.coerce.number().positive().default(8),
  'keep-logs': z.enum(['true', 'false']).default('false'),
});
const options = parseBenchOptions('bench:notices', optionsSchema, 'npm run bench:notices -- [--reps 10000] [--db sqlite|postgres|both] [--workers 1,2] [--sqlite-workers 1] [--rate 5] [--idle 8] [--keep-logs]', { flags: ['keep-logs'] });

const log = (text: string) => console.log(`  ${new Date().toISOString().slice(11, 19)} ${text}`);
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));
const pct = (values: number[], p: number) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};
const p50p95 = (values: number[]) => (values.length ? `${ms(pct(values, 50))} / ${ms(pct(values, 95))}` : 'n/a');
const per = (n: number, spanMs: number) => (spanMs > 0 ? n / (spanMs / 1000) : NaN);
/** How long one fan-out may take before the run gives up. */
const waitLimitMs = Number(process.env.BENCH_WAIT_LIMIT_MS ?? Math.max(180_000, options.reps * 100));

class BenchError extends Error {}

async function until<T>(what: string | (() => string), check: () => Promise<T | undefined | false>, opts: { timeoutMs: number; everyMs?: number }): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new BenchError(`timed out after ${s(opts.timeoutMs)} waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(opts.everyMs ?? 20);
  }
}

async function json(url: string, init: { token?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: init.body === undefined ? 'GET' : 'POST',
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function signIn(strapiUrl: string, identifier: string, password: string): Promise<string> {
  const res = await json(`${strapiUrl}/api/auth/local`, { body: { identifier, password } });
  if (res.status !== 200) throw new BenchError(`${identifier} could not sign in (${res.status})`);
  return res.body.jwt as string;
}

interface Sample {
  startedAt: number;
  ms: number;
  ok: boolean;
}

/**
 * Requests `url()` at a fixed rate whatever the answers take (an open loop: a slow server gets the
 * same traffic, as reps would send it), as the signed-in rep, reading each body to the end.
 */
function portalLoad(url: () => string, cookie: string, rate: number) {
  const samples: Sample[] = [];
  const inFlight = new Set<Promise<void>>();
  const fire = () => {
    const startedAt = now();
    const p = fetch(url(), { headers: { cookie }, redirect: 'manual' })
      .then(async (res) => {
        await res.arrayBuffer();
        samples.push({ startedAt, ms: now() - startedAt, ok: res.status === 200 });
      })
      .catch(() => {
        samples.push({ startedAt, ms: now() - startedAt, ok: false });
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  const timer = setInterval(fire, 1000 / rate);
  fire();
  return {
    samples,
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      return samples;
    },
  };
}

/**
 * CPU time from /proc (Linux): the machine's busy and total jiffies, and each service's own
 * (utime + stime of the process, children not included). Read at the start and end of the fan-out,
 * it says where the two cores went, and so whether a second worker had any CPU left to use.
 */
interface CpuSnapshot {
  at: number;
  busy: number;
  total: number;
  services: Map<string, number>;
  bench: number;
}
const readProcTicks = (pid: number): number => {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return NaN;
  }
};
/** Each PostgreSQL server process's CPU, keyed by pid: the backends do the workers' queries at their own priority. */
function postgresTicks(): [string, number][] {
  const out: [string, number][] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') out.push([`postgres:${entry}`, readProcTicks(Number(entry))]);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
function cpuSnapshot(services: { name: string; pid(): number | undefined }[]): CpuSnapshot | null {
  if (!fs.existsSync('/proc/stat')) return null;
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3]! + cpu[4]!;
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  const usage = process.cpuUsage();
  return {
    at: now(),
    busy: total - idle,
    total,
    services: new Map([...services.flatMap((svc) => (svc.pid() ? [[svc.name, readProcTicks(svc.pid()!)] as [string, number]] : [])), ...postgresTicks()]),
    bench: (usage.user + usage.system) / 1e6,
  };
}
/** "machine 96 % busy; worker 0.93 cores, …" between two snapshots (clock ticks are 1/100 s on Linux). */
function cpuSummary(a: CpuSnapshot | null, b: CpuSnapshot | null): string {
  if (!a || !b) return 'n/a';
  const seconds = (b.at - a.at) / 1000;
  const cores = (ticks: number) => (ticks / 100 / seconds).toFixed(2);
  const used = (name: string, t: number) => (Number.isFinite(t) ? t - (a.services.get(name) ?? 0) : 0);
  const parts = [...b.services].filter(([name]) => !name.startsWith('postgres:')).map(([name, t]) => `${name} ${cores(used(name, t))}`);
  const pg = [...b.services].filter(([name]) => name.startsWith('postgres:')).reduce((sum, [name, t]) => sum + used(name, t), 0);
  if (pg > 0) parts.push(`PostgreSQL ${cores(pg)}`);
  parts.push(`the benchmark with its SMTP sink ${((b.bench - a.bench) / seconds).toFixed(2)}`);
  return `machine ${Math.round((100 * (b.busy - a.busy)) / (b.total - a.total))} % busy over ${os.cpus().length} cores; in cores: ${parts.join(', ')}`;
}

const SEARCHES = ['pricing', 'security', 'onboarding', 'integration', 'roi'];

/** The rep's view while timing: the changed item's page and the search box's API. */
function startPortalLoads(portal: string, cookie: string, slug: string) {
  let n = 0;
  return {
    page: portalLoad(() => `${portal}/collateral/${slug}`, cookie, options.rate),
    search: portalLoad(() => `${portal}/api/search?q=${SEARCHES[n++ % SEARCHES.length]}`, cookie, options.rate),
  };
}

/** Strapi ports: the web one, and its workers' (+10, +11, ...), which the stack derives and must be free too. */
async function stackPorts(workers: number, sinkPort: number) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const strapi = await freePort();
    if (strapi + 10 + workers > 65535) continue;
    const workerPorts = Array.from({ length: workers }, (_, i) => strapi + 10 + i);
    if ((await Promise.all(workerPorts.map((p) => isPortFree(p)))).every(Boolean)) {
      return { strapi, portal: await freePort(), meili: await freePort(), mailWeb: sinkPort, mailSmtp: sinkPort };
    }
  }
  throw new BenchError('found no free Strapi port with free worker ports beside it');
}

interface ChangeTimes {
  /** Change request sent → every inbox delivery visible. */
  inbox: number;
  firstEmail: number;
  allEmails: number;
  emails: number;
  inboxDeliveries: number;
}

/** Request times before the changes, from change A until its last email, and after the queue went idle again. */
interface PortalTimes {
  idle: number[];
  busy: number[];
  after: number[];
  failed: number;
}

interface ScenarioResult {
  label: string;
  workers: number;
  changeRequest: number;
  a: ChangeTimes;
  b: ChangeTimes;
  emailsPerSecond: number;
  repeats: number;
  /** The machine's 1-minute load average when change A was sent (the machine is shared). */
  loadAtChange: number;
  /** Where the CPU went from change A to the last email. */
  cpu: string;
  reworded: Reworded;
  /** Raw nodemailer's emails/s with this scenario's stack up and the same portal load. */
  rawUnderLoad: number | null;
  /** Mean size of the fan-out's emails at the sink, and one of them as received. */
  meanBytes: number;
  sample: string | null;
  page: PortalTimes;
  search: PortalTimes;
}

async function runScenario(dbKind: 'sqlite' | 'postgres', workers: number, sink: SmtpSink): Promise<ScenarioResult> {
  const label = `${dbKind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${workers} worker${workers > 1 ? 's' : ''}`;
  console.log(`\n${label}, ${options.reps.toLocaleString('en')} reps`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-bench-data-'));
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-bench-logs-'));
  const pg = dbKind === 'postgres' ? await createTestDatabase('candor_bench') : null;
  const database: SharedDatabase = pg ? { client: 'postgres', url: pg.url } : { client: 'sqlite', filename: path.join(dataDir, 'cms.db') };
  const secrets = Object.fromEntries(SECRET_NAMES.map((n) => [n, n === 'APP_KEYS' ? 'bench-a,bench-b' : crypto.randomBytes(24).toString('base64url')]));
  let stack: Stack | undefined;
  let db: Knex | undefined;
  let ok = false;
  const onSignal = () => stack?.kill();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    sink.reset();
    stack = launchStack({
      dataDir,
      ports: await stackPorts(workers, sink.port),
      secrets,
      output: logDir,
      externalSmtp: true,
      workers,
      env: {
        ...(pg ? { DATABASE_URL: pg.url } : {}),
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(sink.port),
        CANDOR_DEMO_CONTENT: 'true',
        LOG_LEVEL: 'warn',
        // npm start's default (10) unless the caller sets it, e.g. 0 to see what the lower priority costs.
        ...(process.env.NOTICES_WORKER_NICE ? { NOTICES_WORKER_NICE: process.env.NOTICES_WORKER_NICE } : {}),
      },
    });
    let t = now();
    await stack.ready;
    log(`stack up in ${s(now() - t)} (logs: ${logDir})`);
    const { strapi, portal } = stack.urls;

    db = pg ? knex({ client: 'pg', connection: pg.url, pool: { min: 0, max: 2 } }) : knex({ client: 'better-sqlite3', connection: { filename: database.client === 'sqlite' ? database.filename : '' }, useNullAsDefault: true });
    const count = async (q: Knex.QueryBuilder) => Number(((await q.count({ n: '*' })) as { n: number | string }[])[0]!.n);
    const openOutboxRows = () => count(db!('cn_outbox').whereIn('state', ['pending', 'processing']).andWhere('available_at', '<=', Date.now()));
    // The demo content's own notices and search syncs go first, so the fan-out runs on an idle queue.
    t = now();
    let quietSince = 0;
    await until('the demo content outbox to drain', async () => {
      const open = await openOutboxRows();
      quietSince = open ? 0 : quietSince || now();
      return quietSince > 0 && now() - quietSince > 1000;
    }, { timeoutMs: 180_000, everyMs: 250 });
    log(`demo content settled in ${s(now() - t)}`);

    t = now();
    await seedReps(database, secrets, path.join(logDir, 'seed-reps.log'));
    const reps = await count(db('up_users').where('email', 'like', '%@load.candor.test'));
    if (reps !== options.reps) throw new BenchError(`seeded ${reps} reps, expected ${options.reps}`);
    log(`${reps} reps created in ${s(now() - t)}`);

    const marketer = await signIn(strapi, 'marketing@candor.local', 'Candor-Marketing-1');
    const cookie = `candor_session=${await signIn(strapi, 'rep@candor.local', 'Candor-Rep-1')}`;
    const items = await json(`${strapi}/api/collaterals?filters[standing][$eq]=confirmed&fields[0]=title&fields[1]=slug&sort[0]=title:asc&pagination[pageSize]=10`, { token: marketer });
    const [itemA, itemB] = (items.body?.data ?? []) as { documentId: string; title: string; slug: string }[];
    if (!itemA || !itemB) throw new BenchError(`need two confirmed demo items, got ${items.status}: ${JSON.stringify(items.body).slice(0, 200)}`);

    // Warm both portal paths (tenant token, caches), then time them idle.
    for (let i = 0; i < 5; i++) {
      await fetch(`${portal}/collateral/${itemA.slug}`, { headers: { cookie } }).then((r) => r.arrayBuffer());
      await fetch(`${portal}/api/search?q=${SEARCHES[i]}`, { headers: { cookie } }).then((r) => r.arrayBuffer());
    }
    const idleLoads = startPortalLoads(portal, cookie, itemA.slug);
    await sleep(options.idle * 1000);
    const idle = { page: await idleLoads.page.stop(), search: await idleLoads.search.stop() };
    log(`portal idle: page ${p50p95(idle.page.map((x) => x.ms))}, search ${p50p95(idle.search.map((x) => x.ms))}`);

    sink.reset();
    const lastNoticeBefore = Number(((await db('cn_notices').max({ id: 'id' })) as { id: number | string | null }[])[0]!.id ?? 0);
    const change = async (item: { documentId: string; title: string }, why: string) => {
      const sentAt = now();
      const res = await json(`${strapi}/api/change-notices/standing/collateral/${item.documentId}`, {
        token: marketer,
        body: { standing: 'scaled_back', reason: `Benchmark: ${why}.`, nowTrue: `${item.title} is scaled back while the benchmark runs.` },
      });
      if (res.status !== 200) throw new BenchError(`the standing change of ${item.title} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
      return { sentAt, answeredAt: now() };
    };
    /** Polls the database and the sink until every inbox row and every email of the change's notice is there. */
    const follow = async (item: { documentId: string }, sent: Promise<{ sentAt: number }>) => {
      const { sentAt } = await sent;
      const notice = await until('the notice', async () => (await db!('cn_notices').where('subject_document_id', item.documentId).andWhere('id', '>', lastNoticeBefore).first('id')) as { id: number } | undefined, { timeoutMs: waitLimitMs });
      const inboxDeliveries = await until('every inbox delivery', async () => {
        const n = await count(db!('cn_deliveries').where({ notice_id: notice.id, channel: 'inbox' }));
        return n >= options.reps && n;
      }, { timeoutMs: waitLimitMs });
      const inboxAt = now();
      // The email deliveries follow the inbox ones in chunks (the fan-out writes every rep's inbox row
      // first); every rep here is subscribed to both, so there are as many. The sink keeps each
      // arrival's time, so the first email's time is read afterwards, not raced.
      const emailRows = () => db!('cn_deliveries').where({ notice_id: notice.id, channel: 'email' }).whereNot('state', 'digest');
      await until(() => `all ${inboxDeliveries} email deliveries written`, async () => (await count(emailRows())) >= inboxDeliveries, { timeoutMs: waitLimitMs, everyMs: 100 });
      const emailIds = ((await emailRows().select('id')) as { id: number | string }[]).map((r) => `<candor-delivery-${r.id}@candor>`);
      const arrivedAt = () => emailIds.map((id) => sink.arrivals.get(id)).filter((at) => at !== undefined);
      const lastAt = await until(`all ${emailIds.length} emails`, async () => {
        const at = arrivedAt();
        return at.length === emailIds.length && Math.max(...at);
      }, { timeoutMs: waitLimitMs, everyMs: 50 });
      const firstAt = Math.min(...arrivedAt());
      // Where the first email's time went: the notice row, its first send job written, its first delivery marked sent (all epoch ms).
      const [firstJob] = (await db!('cn_outbox').where({ lane: `notice:${notice.id}` }).min({ at: 'created_at' })) as { at: number | string | null }[];
      const [firstSent] = (await db!('cn_deliveries').where({ notice_id: notice.id, channel: 'email' }).min({ at: 'sent_at' })) as { at: number | string | null }[];
      const noticeRow = (await db!('cn_notices').where({ id: notice.id }).first('created_at')) as { created_at: number | string };
      const since = (at: number | string | null | undefined) => (at == null ? 'n/a' : ms(Number(at) - sentAt));
      log(`notice ${notice.id}: row written +${since(noticeRow.created_at)}, first send job +${since(firstJob?.at)}, first email marked sent +${since(firstSent?.at)}, at the sink +${ms(firstAt - sentAt)}`);
      return { times: { inbox: inboxAt - sentAt, firstEmail: firstAt - sentAt, allEmails: lastAt - sentAt, emails: emailIds.length, inboxDeliveries }, firstAt, lastAt };
    };

    const busyLoads = startPortalLoads(portal, cookie, itemA.slug);
    await sleep(200);
    log(`change A: ${itemA.title}; change B in 1 s: ${itemB.title}`);
    const loadAtChange = os.loadavg()[0]!;
    const cpuBefore = cpuSnapshot(stack.services);
    const sentA = change(itemA, 'first change');
    const sentB = sleep(1000).then(() => change(itemB, 'second change, a second later'));
    const [a, b, requestA] = await Promise.all([follow(itemA, sentA), follow(itemB, sentB), sentA]);
    const cpu = cpuSummary(cpuBefore, cpuSnapshot(stack.services));
    log(`CPU from change A to the last email: ${cpu}`);
    const fanOut = { from: (await sentA).sentAt, to: Math.max(a.lastAt, b.lastAt) };
    const busy = { page: await busyLoads.page.stop(), search: await busyLoads.search.stop() };
    // The same requests once the fan-out is over: tells the fan-out's cost from the changed page's own.
    const afterLoads = startPortalLoads(portal, cookie, itemA.slug);
    await sleep(options.idle * 1000);
    const after = { page: await afterLoads.page.stop(), search: await afterLoads.search.stop() };
    const during = (xs: Sample[]) => xs.filter((x) => x.startedAt >= fanOut.from && x.startedAt <= fanOut.to);
    const emails = a.times.emails + b.times.emails;
    const repeats = sink.received() - sink.arrivals.size;
    const meanBytes = sink.meanBytes();
    // The same raw nodemailer send while the stack is up and the same portal load runs: what the
    // worker's machine leaves a sender (the main baseline runs alone, once the stacks are down).
    const captured = sink.sample();
    let rawUnderLoad: number | null = null;
    if (captured) {
      const loads = startPortalLoads(portal, cookie, itemA.slug);
      rawUnderLoad = (await rawBaseline(sink, options.reps, captured)).rate;
      await loads.page.stop();
      await loads.search.stop();
      log(`raw nodemailer with the stack up and the portal load on: ${Math.round(rawUnderLoad)} emails/s`);
    }
    const reworded = await timeRewordedClaim({ strapi, portal, meili: stack.urls.meili, masterKey: secrets.MEILI_MASTER_KEY!, marketer, cookie, idle: openOutboxRows });
    log(`re-worded claim "${reworded.claim}" on ${reworded.item}: page ${ms(reworded.page)}, search hit ${ms(reworded.search)}, index ${ms(reworded.index)}`);
    const result: ScenarioResult = {
      label,
      workers,
      changeRequest: requestA.answeredAt - requestA.sentAt,
      a: a.times,
      b: b.times,
      emailsPerSecond: per(emails, fanOut.to - Math.min(a.firstAt, b.firstAt)),
      repeats,
      meanBytes,
      sample: captured,
      loadAtChange,
      cpu,
      reworded,
      rawUnderLoad,
      page: portalTimes(idle.page, during(busy.page), after.page),
      search: portalTimes(idle.search, during(busy.search), after.search),
    };
    log(`A: inbox ${s(a.times.inbox)}, first email ${s(a.times.firstEmail)}, all ${a.times.emails} emails ${s(a.times.allEmails)}`);
    log(`B: inbox ${s(b.times.inbox)}, first email ${s(b.times.firstEmail)}, all ${b.times.emails} emails ${s(b.times.allEmails)}`);
    log(`${Math.round(result.emailsPerSecond)} emails/s; portal during the fan-out: page ${p50p95(result.page.busy)}, search ${p50p95(result.search.busy)}; after: page ${p50p95(result.page.after)}, search ${p50p95(result.search.after)}`);
    ok = true;
    return result;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await db?.destroy();
    await stack?.stop();
    await pg?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (ok && options['keep-logs'] === 'false') fs.rmSync(logDir, { recursive: true, force: true });
    else console.error(`  logs kept in ${logDir}`);
  }
}

interface Reworded {
  claim: string;
  item: string;
  page: number;
  search: number;
  index: number;
}

/**
 * A marketer corrects the "true now" of a claim that stays scaled back (the case that must be
 * fastest): times from the request until the new text is on the page of an item that makes the
 * claim (its review note), in that item's portal search hit, and in its Meilisearch document. The
 * claim is first scaled back with another wording and its notices sent, so only the correction is timed.
 */
async function timeRewordedClaim(o: { strapi: string; portal: string; meili: string; masterKey: string; marketer: string; cookie: string; idle: () => Promise<number> }): Promise<Reworded> {
  const claims = await json(`${o.strapi}/api/claims?filters[standing][$eq]=confirmed&fields[0]=statement&populate[collaterals][fields][0]=slug&populate[collaterals][fields][1]=title&pagination[pageSize]=100`, { token: o.marketer });
  const claim = ((claims.body?.data ?? []) as { documentId: string; statement: string; collaterals?: { documentId: string; slug: string; title: string }[] }[]).find((c) => c.collaterals?.length);
  if (!claim) throw new BenchError(`no confirmed demo claim made by a published item (${claims.status})`);
  const item = claim.collaterals![0]!;
  const standing = async (nowTrue: string, reason: string) => {
    const res = await json(`${o.strapi}/api/change-notices/standing/claim/${claim.documentId}`, { token: o.marketer, body: { standing: 'scaled_back', reason, nowTrue } });
    if (res.status !== 200) throw new BenchError(`scaling back claim ${claim.statement} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
  };
  await standing('Benchmark: the first wording of what is true now.', 'Benchmark: scaled back.');
  await until('the first wording\'s notices to go out', async () => (await o.idle()) === 0, { timeoutMs: waitLimitMs, everyMs: 250 });
  const marker = `Benchmark correction ${crypto.randomBytes(4).toString('hex')}`;
  const shows = (url: string, headers: Record<string, string>) => async () => (await (await fetch(url, { headers })).text()).includes(marker);
  const watch = async (what: string, check: () => Promise<boolean>) => {
    await until(`the correction on the ${what}`, check, { timeoutMs: 30_000, everyMs: 25 });
    return now() - sentAt;
  };
  const sentAt = now();
  await standing(`${marker}: what is true now, corrected.`, 'Benchmark: corrected while scaled back.');
  const [page, search, index] = await Promise.all([
    watch('page', shows(`${o.portal}/collateral/${item.slug}`, { cookie: o.cookie })),
    watch('search hit', shows(`${o.portal}/api/search?q=${encodeURIComponent(item.title)}`, { cookie: o.cookie })),
    watch('index', shows(`${o.meili}/indexes/collateral/documents/${item.documentId}`, { authorization: `Bearer ${o.masterKey}` })),
  ]);
  return { claim: claim.statement, item: item.title, page, search, index };
}

const portalTimes = (idle: Sample[], busy: Sample[], after: Sample[]): PortalTimes => ({
  idle: idle.map((x) => x.ms),
  busy: busy.map((x) => x.ms),
  after: after.map((x) => x.ms),
  failed: [...idle, ...busy, ...after].filter((x) => !x.ok).length,
});

/** Creates the reps in a short-lived Strapi process on the stack's database (see seed-reps.ts). */
async function seedReps(database: SharedDatabase, secrets: Record<string, string>, logFile: string) {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'seed-reps.ts')], {
    env: { ...process.env, BENCH_DATABASE: JSON.stringify(database), BENCH_REPS: String(options.reps), BENCH_SECRETS: JSON.stringify(secrets) },
    stdio: ['ignore', out, out],
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  fs.closeSync(out);
  if (code !== 0) throw new BenchError(`creating the reps failed (exit ${code}): ${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
}

/**
 * The ceiling: the nodemailer copy Strapi's provider runs, pooled like Strapi's config (SMTP_MAX_CONNECTIONS,
 * default 5; Nagle off), sending N copies of a real Candor notice email to the same sink.
 */
async function rawBaseline(sink: SmtpSink, count: number, sampleRaw: string) {
  const sample = await simpleParser(sampleRaw);
  const html = typeof sample.html === 'string' ? sample.html : '';
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: sink.port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: Number(process.env.SMTP_MAX_CONNECTIONS ?? 5),
    getSocket: noDelaySmtpSocket,
  });
  sink.reset();
  const cpuBefore = cpuSnapshot([]);
  const start = now();
  try {
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        transport.sendMail({ from: 'Candor <candor@localhost>', to: `raw-${i}@load.candor.test`, subject: sample.subject ?? '', text: sample.text ?? '', html, messageId: `<raw-${i}@bench>` })
      )
    );
    await until('every baseline email at the sink', async () => sink.arrivals.size >= count, { timeoutMs: waitLimitMs });
  } finally {
    transport.close();
  }
  const arrivals = [...sink.arrivals.values()];
  const cpu = cpuSummary(cpuBefore, cpuSnapshot([]));
  return { first: Math.min(...arrivals) - start, all: Math.max(...arrivals) - start, rate: per(count, Math.max(...arrivals) - start), bytes: sink.meanBytes(), cpu };
}

const dbs = options.db === 'both' ? (['sqlite', 'postgres'] as const) : ([options.db] as const);
if (dbs.includes('postgres')) {
  const problem = await probePostgres();
  if (problem) {
    console.error(`bench:notices: PostgreSQL at ${TEST_PG_URL} does not answer (${problem}). Set CANDOR_TEST_PG_URL or pass --db sqlite.`);
    process.exit(2);
  }
}
if (!fs.existsSync(path.join(PORTAL_DIR, 'dist', 'server', 'entry.mjs')) || !fs.existsSync(path.join(CMS_DIR, 'dist'))) {
  console.error('bench:notices: the stack is not built: run `npm run build -- --no-admin` first.');
  process.exit(2);
}
const scenarios = dbs.flatMap((d) => (d === 'sqlite' ? options['sqlite-workers'] : options.workers).map((w) => ({ db: d, workers: w })));
console.log(`bench:notices: ${options.reps.toLocaleString('en')} reps; ${scenarios.map((x) => `${x.db} × ${x.workers}`).join(', ')}; portal ${options.rate} req/s per endpoint`);

const sink = await startSmtpSink();
const results: ScenarioResult[] = [];
let failed = false;
let baseline: Awaited<ReturnType<typeof rawBaseline>> | undefined;
let candorBytes = 0;
let sample: string | null = null;
try {
  for (const sc of scenarios) {
    try {
      const result = await runScenario(sc.db, sc.workers, sink);
      results.push(result);
      candorBytes = result.meanBytes;
      sample = result.sample ?? sample;
    } catch (err) {
      failed = true;
      console.error(`  ${sc.db} × ${sc.workers} failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!(err instanceof BenchError)) console.error(err);
    }
  }
  if (sample) {
    console.log(`\nBaseline: raw nodemailer, ${options.reps.toLocaleString('en')} emails`);
    baseline = await rawBaseline(sink, options.reps, sample);
    log(`${Math.round(baseline.rate)} emails/s (all at the sink after ${s(baseline.all)})`);
  }
} finally {
  await sink.close();
}

const rows = results.map((r) => [
  r.label,
  s(r.a.inbox),
  s(r.a.firstEmail),
  s(r.a.allEmails),
  Math.round(r.emailsPerSecond),
  baseline ? `${(r.emailsPerSecond / baseline.rate).toFixed(2)} (${(r.emailsPerSecond / r.workers / baseline.rate).toFixed(2)})` : 'n/a',
  r.rawUnderLoad ? `${(r.emailsPerSecond / r.rawUnderLoad).toFixed(2)} (${Math.round(r.rawUnderLoad)}/s)` : 'n/a',
  s(r.b.inbox),
  s(r.b.firstEmail),
  s(r.b.allEmails),
  `${p50p95(r.page.idle)} → ${p50p95(r.page.busy)} → ${p50p95(r.page.after)}`,
  `${p50p95(r.search.idle)} → ${p50p95(r.search.busy)} → ${p50p95(r.search.after)}`,
  `${ms(r.reworded.page)} / ${ms(r.reworded.search)} / ${ms(r.reworded.index)}`,
]);
if (baseline) rows.push([`Raw nodemailer pool (${process.env.SMTP_MAX_CONNECTIONS ?? 5} connections)`, '', s(baseline.first), s(baseline.all), Math.round(baseline.rate), '1.00', '', '', '', '', '', '', '']);
const extra = results.map(
  (r) =>
    `${r.label}: load average ${r.loadAtChange.toFixed(1)} at change A; change request answered in ${ms(r.changeRequest)}; A reached ${r.a.inboxDeliveries} inboxes and ${r.a.emails} emails, B ${r.b.inboxDeliveries} and ${r.b.emails}; ${r.repeats} repeated Message-IDs at the sink; ${r.page.busy.length} page and ${r.search.busy.length} search requests timed during the fan-out, ${r.page.failed + r.search.failed} not 200. CPU from change A to the last email: ${r.cpu}.`
);
report(
  'notices',
  `Notice fan-out to ${options.reps.toLocaleString('en')} reps on the npm start process layout`,
  ['Scenario', 'A: all inboxes', 'A: first email', 'A: all emails', 'Emails / s', '× raw (per worker)', '× raw beside the stack', 'B: all inboxes', 'B: first email', 'B: all emails', 'Portal page p50 / p95: idle → fan-out → after', 'Portal search p50 / p95: idle → fan-out → after', 'Re-worded claim → page / search hit / index'],
  rows,
  [
    'A = a marketer scales back one item through Strapi REST (POST /api/change-notices/standing/collateral/:id); B = a second item, 1 s later. Times run from the change request to: every inbox row of its notice in cn_deliveries (polled every 20 ms), its first email at the SMTP sink, its last email at the sink.',
    `Each scenario: the real stack (scripts/lib/stack.ts): Meilisearch, the web Strapi (dispatcher off), N outbox worker processes (nice ${process.env.NOTICES_WORKER_NICE ?? 10}), the built portal; a fresh database with the demo content; reps created on it beforehand; every rep subscribed to everything (email + inbox, instant).`,
    '× raw beside the stack: the same raw nodemailer send, run in the scenario after the fan-out while its stack is still up and the same portal load runs (the main raw row runs alone, after every stack is down).',
    'Emails / s: all emails of A and B over the window from the first to the last arrival. Each worker has its own pool, so n workers open n × SMTP_MAX_CONNECTIONS connections; the per-worker ratio divides by n.',
    `The SMTP sink is smtp-server in a worker thread of the benchmark, counting distinct Message-IDs. Baseline: the nodemailer copy of Strapi's provider, pooled the same way (Nagle off), sending copies of a captured Candor notice email (${Math.round(baseline?.bytes ?? 0)} bytes; Candor's averaged ${Math.round(candorBytes)}).`,
    `Portal: the changed item's page (/collateral/<slug>) and /api/search?q=… as a signed-in demo rep, each at ${options.rate} requests/s (open loop), ${options.idle} s idle before the changes, from change A until the last email, and ${options.idle} s after it (the queue idle, both items scaled back).`,
    'Re-worded claim: after the fan-out, a confirmed demo claim made by a published item is scaled back and its notices sent; then its "true now" is corrected while it stays scaled back. Times from that request until the new text is in the item\'s portal page (its review note), in the item\'s hit of /api/search?q=<title>, and in its Meilisearch document (each polled every 25 ms).',
    ...extra,
    ...(baseline ? [`Raw nodemailer: CPU while it sent: ${baseline.cpu} (nodemailer and the sink both run in the benchmark).`] : []),
    `${os.cpus().length} CPU cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at the end.`,
  ]
);
process.exit(failed ? 1 : 0);
