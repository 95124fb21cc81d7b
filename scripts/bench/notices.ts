/**
 * `npm run bench:notices`: fans one notice out to 10,000 subscribed reps (inbox + email to a local
 * SMTP server) and measures how long until every inbox delivery and every email is done. The same run
 * repeats with a naive dispatcher (one row at a time, no concurrency) as the baseline.
 * Options: --reps N (default 10000), --baseline-reps N (default 2000).
 */
import { performance } from 'node:perf_hooks';
import { startTestCms, type TestCms } from '../../cms/tests/harness';
import { createReps } from '../../cms/tests/fixtures/reps';
import { startSmtpReceiver } from '../../cms/tests/receivers';
import { report, s } from './table';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

async function run(label: string, reps: number, dispatcher: { batchSize: number; concurrency: number }) {
  const smtp = await startSmtpReceiver();
  const cms: TestCms = await startTestCms({ env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port) } });
  try {
    await createReps(cms.strapi, reps, { prefix: 'bench-rep' });
    const service = cms.strapi.plugin('change-notices').service('dispatcher');
    service.configure(dispatcher);
    const t0 = performance.now();
    await cms.strapi.documents('api::collateral.collateral').create({
      data: { title: `Bench launch deck (${label})`, slug: `bench-${Date.now()}`, kind: 'deck', summary: 'Fanned out to every rep.' } as never,
      status: 'published',
    });
    const published = performance.now();
    let inboxDone = 0;
    const db = cms.strapi.db.connection;
    // Drive the dispatcher in-process and watch both ends.
    while (smtp.distinct() < reps) {
      const n = await service.runBatch();
      if (!inboxDone) {
        const [{ c }] = await db('cn_deliveries').where({ channel: 'inbox' }).count({ c: '*' });
        if (Number(c) >= reps) inboxDone = performance.now();
      }
      if (n === 0) await new Promise((r) => setTimeout(r, 5));
    }
    const emailsDone = performance.now();
    return { label, reps, publish: published - t0, inbox: inboxDone - t0, emails: emailsDone - t0, rate: reps / ((emailsDone - t0) / 1000) };
  } finally {
    await cms.stop();
    await smtp.close();
  }
}

const reps = arg('reps', 10_000);
const baselineReps = arg('baseline-reps', 2_000);
console.log(`bench:notices: ${reps} reps (Candor dispatcher) and ${baselineReps} reps (naive baseline), ${process.env.CANDOR_TEST_DB ?? 'sqlite'}`);
const results = [
  await run('Candor dispatcher (batch 100, 16 concurrent, pooled SMTP)', reps, { batchSize: 100, concurrency: 16 }),
  await run('Naive baseline (one row at a time)', baselineReps, { batchSize: 1, concurrency: 1 }),
];
report(
  'notices',
  'Notice fan-out: publish → every inbox delivery and every email done',
  ['Dispatcher', 'Reps', 'Publish', 'All inbox deliveries', 'All emails at SMTP', 'Emails / s'],
  results.map((r) => [r.label, r.reps, s(r.publish), s(r.inbox), s(r.emails), Math.round(r.rate)]),
  [
    `Database: ${process.env.CANDOR_TEST_DB ?? 'sqlite'} (set CANDOR_TEST_DB=postgres and CANDOR_TEST_PG_URL for PostgreSQL).`,
    'Emails go to a real local SMTP server (smtp-server) and are counted there by distinct Message-ID.',
  ]
);
process.exit(0);
