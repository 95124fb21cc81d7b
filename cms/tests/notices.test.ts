import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startTestCms, type TestCms } from './harness';
import { startSmtpReceiver, startWebhookReceiver } from './receivers';

/**
 * Notices end to end against real receivers: an SMTP server, Slack and Teams webhook endpoints (one of
 * them failing with 500s first), the portal inbox API, acknowledgements, subscriptions, reminders.
 */
describe('change notices reach the reps they concern, once per channel', () => {
  let cms: TestCms;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let marketer: string;
  let rep: string;
  let rep2: string;
  let claimId: string;

  const dispatcher = () => cms.strapi.plugin('change-notices').service('dispatcher');
  /** Runs the outbox until every row is settled (done or dead), waiting out short backoffs. */
  const deliverAll = async () => {
    for (let i = 0; i < 40; i++) {
      await dispatcher().drain();
      const [{ n }] = await cms.strapi.db.connection('cn_outbox').whereIn('state', ['pending', 'processing']).count({ n: '*' });
      if (Number(n) === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    // Counting what arrived while rows are still open would make the counts depend on the machine's speed.
    throw new Error('outbox rows still pending after 40 rounds');
  };

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    hooks = await startWebhookReceiver();
    cms = await startTestCms({
      demoContent: true,
      env: {
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        SLACK_WEBHOOK_URL: `${hooks.url}/ok/slack`,
        SLACK_CHANNEL_NAME: 'sales-news',
        TEAMS_WEBHOOK_URL: `${hooks.url}/flaky/teams`,
        NOTICES_BACKOFF_MS: '20',
        NOTICES_MAX_ATTEMPTS: '4',
        WEBHOOK_TIMEOUT_MS: '300',
        PORTAL_URL: 'http://portal.test',
      },
    });
    marketer = await cms.login('marketing@candor.local', 'Candor-Marketing-1');
    rep = await cms.login('rep@candor.local', 'Candor-Rep-1');
    rep2 = await cms.login('rep.two@candor.local', 'Candor-Rep-1');
    // The demo seed published ~26 items: let their notices go out, then start from a clean slate.
    await deliverAll();
    smtp.clear();
    hooks.calls.splice(0);
    const claim = await cms.strapi.documents('api::claim.claim').findFirst({ filters: { slug: 'uptime' } as never, status: 'published' });
    claimId = claim?.documentId ?? (await cms.strapi.documents('api::claim.claim').findFirst({ filters: { statement: { $contains: 'uptime' } }, status: 'published' }))!.documentId;
  });
  // A test that fails before its webhook calls happen must not leave 500s for the next one.
  afterEach(() => {
    hooks?.failNext(0);
  });
  afterAll(async () => {
    await cms?.stop();
    await smtp?.close();
    await hooks?.close();
  });

  it('scaling back a claim tells every rep, by email, Slack, Teams and the inbox, what to do now', async () => {
    hooks.failNext(2);
    const res = await cms.api(`/api/change-notices/standing/claim/${claimId}`, {
      token: marketer,
      body: { standing: 'scaled_back', reason: 'The SLA is only financially backed on Enterprise plans.', nowTrue: '99.95 % uptime SLA on Enterprise; 99.9 % on Team and Business.' },
    });
    expect(res.status).toBe(200);
    await deliverAll();

    const mails = smtp.mails.filter((m) => m.subject.includes('99.95'));
    expect(mails.map((m) => m.to).sort()).toEqual(['rep.two@candor.local', 'rep@candor.local']);
    const mail = mails.find((m) => m.to === 'rep@candor.local')!;
    expect(mail.subject).toBe('[Action required] Claim scaled back: 99.95 % uptime SLA on every plan');
    expect(mail.text).toContain('Why: The SLA is only financially backed on Enterprise plans.');
    // What changed names the standing change; the reason and new truth are not repeated (cut short) there.
    expect(mail.text).toContain('What changed: Standing: Confirmed → Scaled back.\n');
    expect(mail.text).toContain('What to do now: Stop promising “99.95 % uptime SLA on every plan”. Say instead: 99.95 % uptime SLA on Enterprise; 99.9 % on Team and Business.');
    expect(mail.text).toMatch(/Affected: .+ \(http:\/\/portal\.test\/collateral\/[a-z0-9-]+\)/);
    expect(mail.text).toMatch(/Acknowledge: http:\/\/localhost:\d+\/api\/change-notices\/acks\/\d+\.\d+\.[\w-]{43}/);
    expect(mail.html).toContain('I have read this');
    expect(mail.messageId).toMatch(/^<candor-delivery-\d+@candor>$/);

    const slack = hooks.calls.filter((c) => c.path === '/ok/slack' && c.body.text.includes('99.95'));
    expect(slack).toHaveLength(1);
    expect(slack[0]!.body.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Claim scaled back: 99.95 % uptime SLA on every plan' } });
    expect(JSON.stringify(slack[0]!.body.blocks)).toContain('Say instead');

    // Teams failed twice with 500 and got it on the third try, with the same idempotency key each time.
    const teams = hooks.calls.filter((c) => c.path === '/flaky/teams');
    expect(teams.map((c) => c.answeredWith).slice(0, 3)).toEqual([500, 500, 200]);
    expect(new Set(teams.slice(0, 3).map((c) => c.idempotencyKey)).size).toBe(1);
    expect(teams[2]!.body.attachments[0].content.body[1].text).toBe('Claim scaled back: 99.95 % uptime SLA on every plan');

    const inbox = await cms.api('/api/change-notices/inbox?filter=action_required', { token: rep });
    expect(inbox.status).toBe(200);
    expect(inbox.body.data[0]).toMatchObject({ urgency: 'action_required', headline: 'Claim scaled back: 99.95 % uptime SLA on every plan', readAt: null, acknowledgedAt: null });
    // The affected material the email lists comes with the inbox notice too, for the portal to link.
    expect(inbox.body.data[0].details).toEqual(expect.arrayContaining([expect.stringMatching(/^Affected: .+ \(http:\/\/portal\.test\/collateral\/[a-z0-9-]+\)$/)]));
    const count = await cms.api('/api/change-notices/inbox/count', { token: rep });
    expect(count.body.data.actionRequired).toBeGreaterThanOrEqual(1);
  });

  it('a duplicated event still yields one notice per rep and channel', async () => {
    const deliveriesBefore = await cms.strapi.db.connection('cn_deliveries').count({ n: '*' });
    const outbox = cms.strapi.plugin('change-notices').service('outbox');
    const notice = await cms.strapi.db.connection('cn_notices').orderBy('id', 'desc').first();
    // Replay the same notice event twice, as a double-firing middleware or a crash replay would.
    const payload = { uid: notice.subject_uid, documentId: notice.subject_document_id, version: notice.version, urgency: notice.urgency, actor: { name: 'x' }, flagged: [] };
    await cms.strapi.plugin('change-notices').service('notices').handleVersionJob({ id: 0, topic: 'notice.version', key: 'replay', payload, attempt: 1 });
    await outbox.enqueue(null, [{ topic: 'notice.version', key: `notice:${notice.subject_uid}:${notice.subject_document_id}:v${notice.version}`, payload }]);
    await deliverAll();
    expect(await cms.strapi.db.connection('cn_deliveries').count({ n: '*' })).toEqual(deliveriesBefore);
    expect(smtp.mails.filter((m) => m.subject.includes('99.95'))).toHaveLength(2);
  });

  it('reps acknowledge in the portal or through the signed email link', async () => {
    const [notice] = (await cms.api('/api/change-notices/inbox?filter=action_required', { token: rep })).body.data;
    const ack = await cms.api(`/api/change-notices/inbox/${notice.id}/acknowledge`, { token: rep, body: {} });
    expect(ack.status).toBe(200);
    const again = await cms.api(`/api/change-notices/inbox/${notice.id}/acknowledge`, { token: rep, body: {} });
    expect(again.body.data.acknowledgedAt).toBe(ack.body.data.acknowledgedAt);
    expect((await cms.api('/api/change-notices/inbox?filter=action_required', { token: rep })).body.data.map((n: any) => n.id)).not.toContain(notice.id);

    const link = /Acknowledge: (\S+)/.exec(smtp.mails.find((m) => m.to === 'rep.two@candor.local' && m.subject.includes('99.95'))!.text)![1]!;
    const path = new URL(link).pathname;
    const res = await fetch(cms.url + path, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`http://portal.test/notices?acknowledged=${notice.id}`);
    const inbox2 = (await cms.api('/api/change-notices/inbox', { token: rep2 })).body.data.find((n: any) => n.id === notice.id);
    expect(inbox2.acknowledgedAt).not.toBeNull();

    const forged = await fetch(cms.url + path.replace(/\.[\w-]{43}$/, '.' + 'A'.repeat(43)), { redirect: 'manual' });
    expect(forged.status).toBe(400);
    // Another rep's notice is not theirs to acknowledge.
    expect((await cms.api('/api/change-notices/inbox/999999/acknowledge', { token: rep, body: {} })).status).toBe(404);
  });

  it('the marketer sees who acknowledged, per channel delivery, in the admin API', async () => {
    const login = await cms.api('/admin/login', { body: { email: 'marketing@candor.local', password: 'Candor-Marketing-1' } });
    const admin = login.body.data.token;
    const list = await cms.api('/change-notices/notices', { token: admin });
    const row = list.body.data.find((n: any) => n.headline.includes('99.95'));
    expect(row).toMatchObject({ urgency: 'action_required', audience: 2, acknowledged: 2, channels: { inbox: { sent: 2 }, email: { sent: 2 }, slack: { sent: 1 }, teams: { sent: 1 } } });
    // The page names what the notice is about: the claim's statement at the version that changed it.
    expect(row.subject).toEqual({ kind: 'claim', documentId: claimId, version: expect.any(Number), title: '99.95 % uptime SLA on every plan' });
    expect(row.actor).toBeTruthy();
    const detail = (await cms.api(`/change-notices/notices/${row.id}`, { token: admin })).body.data;
    expect(detail).toMatchObject({ subject: row.subject, audience: 2, acknowledged: 2, whatToDo: expect.stringContaining('Say instead') });
    expect(detail.recipients.map((r: any) => [r.email, r.acknowledgedVia])).toEqual(expect.arrayContaining([['rep@candor.local', 'portal'], ['rep.two@candor.local', 'email']]));
    expect(detail.teamChannels.find((c: any) => c.channel === 'teams')).toMatchObject({ state: 'sent', attempts: 3, error: null });

    // Newest first, paged, and filtered by urgency.
    const page1 = (await cms.api('/change-notices/notices?pageSize=2&urgency=action_required', { token: admin })).body;
    expect(page1.data).toHaveLength(2);
    expect(page1.data.every((n: any) => n.urgency === 'action_required')).toBe(true);
    expect(page1.meta.pagination).toMatchObject({ page: 1, pageSize: 2, pageCount: Math.ceil(page1.meta.pagination.total / 2) });
    const page2 = (await cms.api('/change-notices/notices?page=2&pageSize=2&urgency=action_required', { token: admin })).body.data;
    expect(page2.map((n: any) => n.id)).not.toContain(page1.data[0].id);
    expect(page1.data[0].createdAt >= page1.data[1].createdAt).toBe(true);
    const bad = await cms.api('/change-notices/notices?urgency=urgent&pageSize=500', { token: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('urgency must be one of: action_required, fyi');
    expect(bad.body.error.message).toContain('pageSize must be at most 100');
    // Admin routes only: a rep's users-permissions token is no admin token, and nobody else gets in.
    expect((await cms.api('/change-notices/notices', { token: rep })).status).toBe(401);
    expect((await cms.api('/change-notices/outbox/stats')).status).toBe(401);
  });

  it('a webhook that hangs or refuses is retried with backoff, then parked as a dead letter the marketer can retry', async () => {
    const config = cms.strapi.config.get('plugin::change-notices') as any;
    const targets = { slack: [...config.slack], teams: [...config.teams] };
    // Pass or fail, the tests after this one deliver to the usual receivers only.
    onTestFinished(() => {
      config.slack.splice(0, Infinity, ...targets.slack);
      config.teams.splice(0, Infinity, ...targets.teams);
    });
    config.slack.push({ name: 'hanging', url: `${hooks.url}/hang/slack` });
    config.teams.push({ name: 'gone', url: `${hooks.url}/gone/teams` });
    const deck = await cms.strapi.documents('api::collateral.collateral').findFirst({ filters: { slug: 'relay-connector-catalogue' } as never, status: 'published' });
    await cms.api(`/api/collaterals/${deck!.documentId}?status=published`, { method: 'PUT', token: marketer, body: { data: { summary: 'Every Relay connector, now with Pipedrive (bidirectional).' } } });
    await deliverAll();
    const login = await cms.api('/admin/login', { body: { email: 'marketing@candor.local', password: 'Candor-Marketing-1' } });
    const dead = (await cms.api('/change-notices/dead-letters', { token: login.body.data.token })).body.data;
    const hang = hooks.calls.filter((c) => c.path === '/hang/slack');
    const gone = hooks.calls.filter((c) => c.path === '/gone/teams');
    expect(hang).toHaveLength(4); // maxAttempts, each cut off by the timeout
    expect(gone).toHaveLength(1); // a 404 will not get better: dead at once
    expect(dead.map((d: any) => d.error)).toEqual(expect.arrayContaining([expect.stringContaining('no answer within 300 ms'), expect.stringContaining('PermanentDeliveryError: webhook answered 404')]));
    // The other channels were not held up by the broken ones.
    expect(smtp.mails.filter((m) => m.subject.includes('Relay connector catalogue'))).toHaveLength(2);

    config.teams.pop();
    config.teams.push({ name: 'gone', url: `${hooks.url}/ok/teams-fixed` });
    const goneLetter = dead.find((d: any) => d.error.includes('404'));
    // A dead letter says which notice, channel and target it was, and the notice counts it as failed.
    expect(goneLetter.delivery).toMatchObject({ channel: 'teams', target: 'gone', headline: expect.stringContaining('Relay connector catalogue') });
    const admin = login.body.data.token;
    const failing = (await cms.api('/change-notices/notices', { token: admin })).body.data.find((n: any) => n.id === goneLetter.delivery.noticeId);
    expect(failing.channels.teams).toMatchObject({ failed: 1 });
    expect(failing.channels.slack).toMatchObject({ failed: 1 });
    const failingDetail = (await cms.api(`/change-notices/notices/${failing.id}`, { token: admin })).body.data;
    expect(failingDetail.teamChannels.find((c: any) => c.target === 'gone')).toMatchObject({ state: 'failed', attempts: 1, outboxId: goneLetter.id, error: expect.stringContaining('404') });
    const stats = (await cms.api('/change-notices/outbox/stats', { token: admin })).body.data;
    expect(stats).toMatchObject({ dead: expect.any(Number), pending: expect.any(Number), leased: expect.any(Number), done: expect.any(Number) });
    expect(stats.dead).toBeGreaterThanOrEqual(2);
    expect(stats.byTopic.find((x: any) => x.topic === 'notice.deliver').dead).toBe(stats.dead);

    const retry = await cms.api(`/change-notices/dead-letters/${goneLetter.id}/retry`, { token: admin, body: {} });
    expect(retry.status).toBe(200);
    expect((await cms.api(`/change-notices/dead-letters/${goneLetter.id}/retry`, { token: admin, body: {} })).status).toBe(404);
    await deliverAll();
    expect(hooks.calls.filter((c) => c.path === '/ok/teams-fixed')).toHaveLength(1);
    const retried = (await cms.api(`/change-notices/notices/${failing.id}`, { token: admin })).body.data.teamChannels.find((c: any) => c.target === 'gone');
    expect(retried).toMatchObject({ state: 'sent', error: null });
    expect((await cms.api('/change-notices/outbox/stats', { token: admin })).body.data.dead).toBe(stats.dead - 1);
  });

  it('subscriptions decide who hears about what; a retraction also reaches recent viewers', async () => {
    const bad = await cms.api('/api/change-notices/subscription', { method: 'PUT', token: rep2, body: { products: [], regions: [], kinds: [], channels: ['email'], cadence: 'hourly' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('the portal inbox cannot be turned off');
    expect(bad.body.error.message).toContain('cadence must be one of: instant, daily, weekly');

    const put = await cms.api('/api/change-notices/subscription', { method: 'PUT', token: rep2, body: { products: ['aurora-vault'], regions: [], kinds: [], channels: ['inbox'], cadence: 'instant' } });
    expect(put.status).toBe(200);
    expect((await cms.api('/api/change-notices/subscription', { token: rep2 })).body.data.products).toEqual(['aurora-vault']);

    // A Pulse-only update reaches rep, not rep2 (who follows Vault only).
    const pulse = await cms.strapi.documents('api::collateral.collateral').findFirst({ filters: { slug: 'battlecard-aurora-pulse-vs-clearmetric' } as never, status: 'published' });
    await cms.api(`/api/collaterals/${pulse!.documentId}?status=published`, { method: 'PUT', token: marketer, body: { data: { summary: 'Where Pulse wins against Clearmetric in 2027.' } } });
    await deliverAll();
    const headline = 'Updated battlecard: Battlecard: Aurora Pulse vs. Clearmetric';
    expect((await cms.api('/api/change-notices/inbox', { token: rep })).body.data.map((n: any) => n.headline)).toContain(headline);
    expect((await cms.api('/api/change-notices/inbox', { token: rep2 })).body.data.map((n: any) => n.headline)).not.toContain(headline);

    // rep2 opened it in the portal, so its retraction reaches them anyway.
    expect((await cms.api('/api/change-notices/views', { token: rep2, body: { collateral: pulse!.documentId, action: 'download' } })).status).toBe(204);
    await cms.api(`/api/change-notices/standing/collateral/${pulse!.documentId}`, { token: marketer, body: { standing: 'retracted', reason: 'Clearmetric was acquired; the comparison is obsolete.' } });
    await deliverAll();
    const retracted = (await cms.api('/api/change-notices/inbox', { token: rep2 })).body.data.find((n: any) => n.headline.startsWith('Retracted: Battlecard'));
    expect(retracted).toMatchObject({ urgency: 'action_required', why: 'Clearmetric was acquired; the comparison is obsolete.' });
    // rep2 chose the inbox only: no email.
    expect(smtp.mails.filter((m) => m.to === 'rep.two@candor.local' && m.subject.includes('Retracted: Battlecard'))).toHaveLength(0);
  });

  it('flags collateral past its review-by date and tells its owner once', async () => {
    const item = await cms.strapi.documents('api::collateral.collateral').findFirst({ filters: { slug: 'aurora-pulse-product-overview' } as never, status: 'published' });
    await cms.strapi.db.query('api::collateral.collateral').updateMany({ where: { documentId: item!.documentId }, data: { reviewBy: '2020-01-01' } });
    const jobs = cms.strapi.plugin('change-notices').service('jobs');
    expect(await jobs.flagOverdueReviews()).toEqual([item!.documentId]);
    expect(await jobs.flagOverdueReviews()).toEqual([]);
    await deliverAll();
    const mails = smtp.mails.filter((m) => m.subject === '[Action required] Review due: Aurora Pulse product overview');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toBe('marketing@candor.local');
    expect((await cms.strapi.documents('api::collateral.collateral').findOne({ documentId: item!.documentId, status: 'published' }))!.stale).toBe(true);
  });

  it('reminds reps who have not acknowledged an action-required notice', async () => {
    (cms.strapi.config.get('plugin::change-notices') as any).reminderAfterHours = 0.00001;
    await new Promise((r) => setTimeout(r, 100));
    const jobs = cms.strapi.plugin('change-notices').service('jobs');
    expect(await jobs.queueReminders()).toBeGreaterThan(0);
    expect(await jobs.queueReminders()).toBe(0);
    await deliverAll();
    const reminders = smtp.mails.filter((m) => m.subject.startsWith('[Action required] Reminder:'));
    expect(reminders.length).toBeGreaterThan(0);
    // Both reps acknowledged the SLA notice: nobody is reminded of it.
    expect(reminders.filter((m) => m.subject.includes('99.95'))).toHaveLength(0);
  });

  it('batches informational notices into a daily digest, while action-required ones stay instant', async () => {
    await cms.api('/api/change-notices/subscription', { method: 'PUT', token: rep, body: { products: [], regions: [], kinds: [], channels: ['inbox', 'email'], cadence: 'daily' } });
    smtp.clear();
    const item = await cms.strapi.documents('api::collateral.collateral').findFirst({ filters: { slug: 'relay-connector-catalogue' } as never, status: 'published' });
    await cms.api(`/api/collaterals/${item!.documentId}?status=published`, { method: 'PUT', token: marketer, body: { data: { summary: 'Every Relay connector, now with Pipedrive and Freshdesk.' } } });
    await deliverAll();
    expect(smtp.mails.filter((m) => m.to === 'rep@candor.local')).toHaveLength(0);
    await cms.api(`/api/change-notices/standing/collateral/${item!.documentId}`, { token: marketer, body: { standing: 'scaled_back', reason: 'Freshdesk sync is read-only for now.', nowTrue: 'Freshdesk is read-only until Q2.' } });
    await deliverAll();
    expect(smtp.mails.filter((m) => m.to === 'rep@candor.local').map((m) => m.subject)).toEqual(['[Action required] Scaled back: Relay connector catalogue']);

    const digests = cms.strapi.plugin('change-notices').service('digests');
    expect(await digests.queueDigests('daily')).toBe(1);
    expect(await digests.queueDigests('daily')).toBe(0);
    await deliverAll();
    const digest = smtp.mails.find((m) => m.to === 'rep@candor.local' && m.subject.startsWith('Your daily Candor digest'))!;
    expect(digest.subject).toBe('Your daily Candor digest: 1 update');
    expect(digest.text).toContain('Updated one-pager: Relay connector catalogue');
  });

  it('sends the weekly update to sales and marketing alike, once per person', async () => {
    const digests = cms.strapi.plugin('change-notices').service('digests');
    const update = await digests.weeklyUpdate();
    expect(update.scaledBack.map((s: any) => s.title)).toEqual(expect.arrayContaining(['99.95 % uptime SLA on every plan', 'Relay connector catalogue']));
    expect(update.retracted.map((r: any) => r.title)).toContain('Battlecard: Aurora Pulse vs. Clearmetric');
    expect(update.acknowledgement.acknowledged).toBeGreaterThanOrEqual(2);
    // The admin page previews the same update.
    const login = await cms.api('/admin/login', { body: { email: 'marketing@candor.local', password: 'Candor-Marketing-1' } });
    const preview = (await cms.api('/change-notices/weekly-update', { token: login.body.data.token })).body.data;
    expect(preview.scaledBack.map((s: any) => s.title)).toEqual(update.scaledBack.map((s: any) => s.title));
    expect(preview.acknowledgement).toEqual(update.acknowledgement);
    smtp.clear();
    const queued = await digests.queueWeeklyUpdate();
    expect(queued).toBe(3); // two reps and the marketer (who is also an admin)
    expect(await digests.queueWeeklyUpdate()).toBe(0);
    await deliverAll();
    expect(smtp.mails.map((m) => m.to).sort()).toEqual(['marketing@candor.local', 'rep.two@candor.local', 'rep@candor.local']);
    const mail = smtp.mails[0]!;
    expect(mail.subject).toMatch(/^Candor weekly update: \d+ scaled back, \d+ retracted, \d+ new$/);
    expect(mail.text).toContain('Acknowledgements:');
    expect(mail.text).toContain('Open feedback from sales:');
  });
});
