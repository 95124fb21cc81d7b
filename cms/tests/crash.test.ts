import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSharedDatabase, type SharedDatabase } from './harness';
import { startSmtpReceiver } from './receivers';

const here = path.dirname(fileURLToPath(import.meta.url));
const REPS = 1000;
/** What may be in flight at a kill (see the first test). */
const MAX_REPEATS = 20;

let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let shared: { database: SharedDatabase; drop(): Promise<void> };
const children: ChildProcess[] = [];

function worker(mode: 'setup' | 'publish' | 'run' | 'finish' | 'check') {
  // One OS process per worker (tsx as a loader, not its CLI, which would fork a grandchild that
  // SIGKILL would leave running).
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures', 'notice-worker.ts'), mode], {
    env: { ...process.env, WORKER_DATABASE: JSON.stringify(shared.database), WORKER_SMTP_PORT: String(smtp.port), WORKER_REPS: String(REPS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => out, errors: () => err };
}

const until = async (what: string, check: () => boolean, timeoutMs = 120_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  shared = await createSharedDatabase();
  const setup = worker('setup');
  const code = await setup.exited;
  if (code !== 0) throw new Error(`setup worker failed (${code}): ${setup.errors().slice(-2000)}`);
}, 300_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await smtp?.close();
  await shared?.drop();
});

it(`a dispatcher killed mid fan-out to ${REPS} reps resumes after restart: every rep gets the notice exactly once`, async () => {
  const first = worker('run');
  const crashAfter = Math.floor(REPS * 0.3);
  await until(`${crashAfter} emails before the crash`, () => smtp.mails.length >= crashAfter);
  first.child.kill('SIGKILL');
  await first.exited;
  const atCrash = smtp.mails.length;
  expect(atCrash).toBeLessThan(REPS);

  // The second worker resumes and exits by itself once every notice row is settled: a send is only
  // settled after the receiver took the mail, so nothing is still in flight when we count.
  const second = worker('finish');
  await until('the second worker to finish the fan-out', () => second.child.exitCode !== null);
  expect(second.child.exitCode, second.errors().slice(-2000)).toBe(0);

  const perRep = new Map<string, Set<string>>();
  for (const m of smtp.mails) (perRep.get(m.to) ?? perRep.set(m.to, new Set()).get(m.to)!).add(m.messageId);
  const reps = [...perRep.keys()].filter((to) => to.endsWith('@load.candor.test'));
  expect(reps).toHaveLength(REPS);
  // Exactly once per rep, counted at the receiver by the notice's Message-ID.
  expect(reps.every((to) => perRep.get(to)!.size === 1)).toBe(true);
  // Sends in flight at the kill are the only possible repeats (at-least-once with an idempotency key):
  // a message on each of the 5 pooled SMTP connections and those the receiver took in the last few
  // milliseconds before their sent mark was written; they carry the same Message-ID, so mail systems drop them.
  const repeats = smtp.mails.length - smtp.distinct();
  expect(repeats).toBeLessThanOrEqual(MAX_REPEATS);
  console.log(`crash test: ${atCrash} emails before the kill, ${smtp.mails.length} received, ${smtp.distinct()} distinct, ${repeats} repeated in flight`);

  const check = worker('check');
  await check.exited;
  const counts = JSON.parse(check.output().trim().split('\n').pop()!);
  const inbox = counts.deliveries.filter((d: any) => d.channel === 'inbox').reduce((n: number, d: any) => n + d.n, 0);
  const emailSent = counts.deliveries.find((d: any) => d.channel === 'email' && d.state === 'sent')?.n;
  expect(inbox).toBe(REPS);
  expect(emailSent).toBe(REPS);
  expect(counts.outbox.filter((o: any) => o.topic.startsWith('notice.') && o.state !== 'done')).toEqual([]);
}, 300_000);

// Several workers are a PostgreSQL deployment (SKIP LOCKED, LISTEN/NOTIFY); on SQLite two Strapi
// boots at once contend for the one writer lock ("database is locked" in a CI run).
it.runIf(process.env.CANDOR_TEST_DB === 'postgres')(`two workers share a fan-out to ${REPS} reps; one is killed mid-way and the other finishes it: every rep gets it exactly once`, async () => {
  const publish = worker('publish');
  expect(await publish.exited, publish.errors().slice(-2000)).toBe(0);
  const mails = () => smtp.mails.filter((m) => m.subject.includes('Crash-test deck two'));
  // Both boot on the same database at once (their migrations race too) and take rows from one queue.
  const doomed = worker('run');
  await until('the first worker to run', () => doomed.output().includes('running'));
  const survivor = worker('finish');
  const crashAfter = Math.floor(REPS * 0.3);
  await until(`${crashAfter} emails before the crash`, () => mails().length >= crashAfter);
  doomed.child.kill('SIGKILL');
  await doomed.exited;
  const atCrash = mails().length;
  expect(atCrash).toBeLessThan(REPS);
  await until('the surviving worker to finish the fan-out', () => survivor.child.exitCode !== null);
  expect(survivor.child.exitCode, survivor.errors().slice(-2000)).toBe(0);

  const perRep = new Map<string, Set<string>>();
  for (const m of mails()) (perRep.get(m.to) ?? perRep.set(m.to, new Set()).get(m.to)!).add(m.messageId);
  expect(perRep.size).toBe(REPS);
  expect([...perRep.values()].every((ids) => ids.size === 1)).toBe(true);
  const repeats = mails().length - new Set(mails().map((m) => m.messageId)).size;
  expect(repeats).toBeLessThanOrEqual(MAX_REPEATS);
  console.log(`two-worker crash test: ${atCrash} emails before the kill, ${mails().length} received, ${perRep.size} reps with exactly one distinct message, ${repeats} raw repeats`);
}, 300_000);
