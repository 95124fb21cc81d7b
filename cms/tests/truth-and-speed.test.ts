import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Index } from 'meilisearch';
import { createReps } from './fixtures/reps';
import { startTestCms, type TestCms } from './harness';
import { startMeili, type TestMeili } from './meili';
import { startSmtpReceiver } from './receivers';

/**
 * Truth first, and fast: a change's notice and inbox rows never wait behind another change's emails,
 * senders take turns between notices, and a corrected claim reaches every item that makes it (its
 * review note, its search document) with an action-required notice.
 */
describe('truth and speed', () => {
  const REPS = 300;
  let meili: TestMeili;
  let cms: TestCms;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let marketer: string;
  let index: Index<Record<string, unknown>>;

  const dispatcher = () => cms.strapi.plugin('change-notices').service('dispatcher');
  const db = () => cms.strapi.db.connection;
  const noticeOf = async (documentId: string) => db()('cn_notices').where({ subject_document_id: documentId }).orderBy('id', 'desc').first();
  const deliveries = async (noticeId: number, channel: string, state?: string) => {
    const q = db()('cn_deliveries').where({ notice_id: noticeId, channel });
    if (state) q.andWhere({ state });
    const [{ n }] = await q.count({ n: '*' });
    return Number(n);
  };
  const publish = async (data: Record<string, unknown>) => {
    const res = await cms.api('/api/collaterals?status=published', { token: marketer, body: { data } });
    expect(res.status).toBe(201);
    return res.body.data.documentId as string;
  };
  const drainAll = async () => {
    for (let i = 0; i < 200; i++) {
      await dispatcher().drain();
      const [{ n }] = await db()('cn_outbox').whereIn('state', ['pending', 'processing']).count({ n: '*' });
      if (Number(n) === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('outbox rows still pending');
  };

  beforeAll(async () => {
    meili = await startMeili();
    smtp = await startSmtpReceiver();
    cms = await startTestCms({ demoContent: true, env: { ...meili.env, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), PORTAL_URL: 'http://portal.test' } });
    marketer = await cms.login('marketing@candor.local', 'Candor-Marketing-1');
    index = meili.client.index(meili.indexName);
    await cms.strapi.plugin('change-notices').service('search').idle();
    await createReps(cms.strapi, REPS, { prefix: 'speed-rep' });
    await drainAll();
    smtp.clear();
  });
  afterAll(async () => {
    await cms?.stop();
    await meili?.close();
    await smtp?.close();
  });

  it("a fan-out in progress does not delay the next change's notice and inbox deliveries, and senders take turns", async () => {
    // Rounds of 4 rows; each send row carries NOTICES_DELIVERIES_PER_JOB (10) deliveries.
    dispatcher().configure({ batchSize: 4, concurrency: 4 });
    try {
      const a = await publish({ title: 'Speed test deck A', slug: 'speed-test-deck-a', kind: 'deck', summary: 'First change.' });
      // Rounds until A's notice exists: its inbox rows are written with it, its emails are queued.
      while (!(await noticeOf(a))) await dispatcher().runBatch();
      const noticeA = await noticeOf(a);
      const repsTotal = await deliveries(noticeA.id, 'inbox');
      expect(repsTotal).toBeGreaterThanOrEqual(REPS);
      expect(await deliveries(noticeA.id, 'email', 'pending')).toBeGreaterThan(REPS - 40);

      const b = await publish({ title: 'Speed test deck B', slug: 'speed-test-deck-b', kind: 'deck', summary: 'Second change, a second later.' });
      // One round of 4: B's notice comes first, although hundreds of A's emails were queued before it.
      await dispatcher().runBatch();
      const noticeB = await noticeOf(b);
      expect(noticeB, "B's notice was written in the very next round").toBeTruthy();
      expect(await deliveries(noticeB.id, 'inbox')).toBe(repsTotal);
      const aLeft = await deliveries(noticeA.id, 'email', 'pending');
      expect(aLeft).toBeGreaterThan(REPS / 2);

      // From now on the senders alternate between A's and B's emails instead of finishing A first.
      const sentBefore = { a: await deliveries(noticeA.id, 'email', 'sent'), b: await deliveries(noticeB.id, 'email', 'sent') };
      await dispatcher().runBatch();
      await dispatcher().runBatch();
      const sentA = (await deliveries(noticeA.id, 'email', 'sent')) - sentBefore.a;
      const sentB = (await deliveries(noticeB.id, 'email', 'sent')) - sentBefore.b;
      // Two rounds of 4 rows of up to 10 emails, shared: about half each.
      expect(sentA + sentB).toBeGreaterThan(40);
      expect(sentA + sentB).toBeLessThanOrEqual(80);
      expect(Math.min(sentA, sentB)).toBeGreaterThanOrEqual(15);
    } finally {
      dispatcher().configure({ batchSize: 100, concurrency: 16 });
      await drainAll();
    }
  });

  it("while every general lane is busy sending, a running worker still writes the next change's notice and inbox rows (its truth lanes)", async () => {
    // One general lane, one truth lane, and a mail server that answers each message after 4 s: the
    // first send job of C (10 emails over 5 SMTP connections) holds the general lane for about 8 s,
    // ample time for D's fan-out on a loaded machine.
    dispatcher().configure({ concurrency: 1, truthLanes: 1, pollMs: 50 });
    smtp.clear();
    smtp.slowDown(4000);
    dispatcher().start();
    const until = async (check: () => Promise<boolean>) => {
      while (!(await check())) await new Promise((r) => setTimeout(r, 20));
    };
    try {
      const c = await publish({ title: 'Speed test deck C', slug: 'speed-test-deck-c', kind: 'deck', summary: 'Sent to a slow mail server.' });
      // C's first emails are at the mail server, not yet answered: the general lane is busy.
      await until(async () => smtp.mails.some((m) => m.subject.includes('Speed test deck C')));
      const noticeC = await noticeOf(c);
      const sentBefore = await deliveries(noticeC.id, 'email', 'sent');
      const d = await publish({ title: 'Speed test deck D', slug: 'speed-test-deck-d', kind: 'deck', summary: 'Published while C is being sent.' });
      await until(async () => {
        const notice = await noticeOf(d);
        return Boolean(notice) && (await deliveries(notice.id, 'inbox')) >= REPS;
      });
      // Every rep has D in the inbox, and C's send job that holds the general lane has not finished.
      expect(await deliveries(noticeC.id, 'email', 'sent')).toBe(sentBefore);
      expect(await deliveries(noticeC.id, 'email', 'pending')).toBeGreaterThan(REPS - 20);
    } finally {
      smtp.slowDown(0);
      await dispatcher().stop();
      dispatcher().configure({ concurrency: 16, truthLanes: 4, pollMs: 250 });
      await drainAll();
    }
  });

  it('action-required sends go before informational ones', async () => {
    const fyiItem = await publish({ title: 'Speed test talk track', slug: 'speed-test-talk-track', kind: 'talk_track', summary: 'FYI only.' });
    const urgent = await publish({ title: 'Speed test pricing sheet', slug: 'speed-test-pricing-sheet', kind: 'pricing_sheet', summary: 'Soon scaled back.' });
    await drainAll();
    dispatcher().configure({ batchSize: 4, concurrency: 4 });
    try {
      await cms.api(`/api/collaterals/${fyiItem}?status=published`, { method: 'PUT', token: marketer, body: { data: { summary: 'FYI only, now with a second line.' } } });
      await cms.api(`/api/change-notices/standing/collateral/${urgent}`, { token: marketer, body: { standing: 'scaled_back', reason: 'Prices change in Q3.', nowTrue: 'Q2 prices hold until June.' } });
      // Two rounds write both notices (priority 0); the next rounds send the action-required emails first.
      await dispatcher().runBatch();
      await dispatcher().runBatch();
      const fyi = (await db()('cn_notices').where({ subject_document_id: fyiItem, urgency: 'fyi' }).orderBy('id', 'desc').first())!;
      const act = (await db()('cn_notices').where({ subject_document_id: urgent, urgency: 'action_required' }).first())!;
      for (let i = 0; i < 5; i++) await dispatcher().runBatch();
      // Five rounds of 4 rows of 10: every send so far was action-required, and some of it is still waiting.
      expect(await deliveries(act.id, 'email', 'sent')).toBeGreaterThanOrEqual(100);
      expect(await deliveries(act.id, 'email', 'pending')).toBeGreaterThan(0);
      expect(await deliveries(fyi.id, 'email', 'sent')).toBe(0);
    } finally {
      dispatcher().configure({ batchSize: 100, concurrency: 16 });
      await drainAll();
    }
  });

  it('a corrected "true now" on a claim that stays scaled back reaches every item that makes it, as action-required news', async () => {
    const claim = await cms.api('/api/claims?status=published', { token: marketer, body: { data: { statement: 'Zephyrine runs on every phone', slug: 'zephyrine-phones' } } });
    const claimId = claim.body.data.documentId as string;
    const item = await publish({ title: 'Zephyrine one-pager', slug: 'zephyrine-one-pager', kind: 'one_pager', summary: 'Zephyrine at a glance.', claims: [claimId] });
    await cms.api(`/api/change-notices/standing/claim/${claimId}`, { token: marketer, body: { standing: 'scaled_back', reason: 'Android first.', nowTrue: 'Zephyrine runs on Android 14 and later.' } });
    await drainAll();
    const t0 = Date.now();
    const res = await cms.api(`/api/change-notices/standing/claim/${claimId}`, {
      token: marketer,
      body: { standing: 'scaled_back', reason: 'Android first; iOS slipped.', nowTrue: 'Zephyrine runs on Android 13 and later; iOS in 2027.' },
    });
    expect(res.body.data).toMatchObject({ changed: true, flaggedCollateral: 1 });
    // The page reads the truth from the database: it is there with the commit.
    const truth = await cms.api(`/api/change-notices/search/truth?ids=${item}`, { token: await cms.login('rep@candor.local', 'Candor-Rep-1') });
    expect(truth.body.data[item]).toMatchObject({ needsReview: true, reviewNote: expect.stringContaining('iOS in 2027') });
    await drainAll();
    const doc = await index.getDocument(item);
    expect(doc).toMatchObject({ needsReview: true, reviewNote: expect.stringContaining('iOS in 2027') });
    expect(JSON.stringify(doc.claims)).toContain('iOS in 2027');
    console.log(`re-worded claim: page and index updated ${Date.now() - t0} ms after the change (outbox driven by the test)`);
    const notice = await db()('cn_notices').where({ subject_document_id: claimId }).orderBy('id', 'desc').first();
    expect(notice).toMatchObject({ urgency: 'action_required', headline: 'Claim corrected, still scaled back: Zephyrine runs on every phone' });
    expect(notice.what_to_do).toContain('iOS in 2027');
    expect(smtp.mails.some((m) => m.subject === '[Action required] Claim corrected, still scaled back: Zephyrine runs on every phone')).toBe(true);
  });

  it('editing the "true now" of collateral that stays scaled back is action-required too', async () => {
    const item = await publish({ title: 'Zephyrine launch deck', slug: 'zephyrine-launch-deck', kind: 'deck', summary: 'Launch.' });
    await cms.api(`/api/change-notices/standing/collateral/${item}`, { token: marketer, body: { standing: 'scaled_back', reason: 'Launch moved.', nowTrue: 'Launch in May.' } });
    await drainAll();
    await cms.api(`/api/change-notices/standing/collateral/${item}`, { token: marketer, body: { standing: 'scaled_back', reason: 'Launch moved.', nowTrue: 'Launch in June.' } });
    await drainAll();
    const notice = await db()('cn_notices').where({ subject_document_id: item }).orderBy('id', 'desc').first();
    expect(notice).toMatchObject({ urgency: 'action_required', headline: 'Corrected, still scaled back: Zephyrine launch deck', what_changed: 'Marketing corrected what is true now.' });
    expect(notice.what_to_do).toContain('Launch in June.');
  });
});
