import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCms, type TestCms } from './harness';
import { startSmtpReceiver } from './receivers';

describe('reps suggest edits; marketers triage them in Strapi; the rep hears back', () => {
  let cms: TestCms;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let rep: string;
  let admin: string;
  let deck: { documentId: string; title: string };
  let feedbackId: string;
  const drain = () => cms.strapi.plugin('change-notices').service('dispatcher').drain();
  const count = () => cms.strapi.db.query('api::feedback.feedback').count({});

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    cms = await startTestCms({ demoContent: true, env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), PORTAL_URL: 'http://portal.test' } });
    rep = await cms.login('rep@candor.local', 'Candor-Rep-1');
    admin = (await cms.api('/admin/login', { body: { email: 'marketing@candor.local', password: 'Candor-Marketing-1' } })).body.data.token;
    deck = (await cms.strapi.documents('api::collateral.collateral').findFirst({ filters: { slug: 'pricing-sheet-2026-aurora-pulse' } as never, status: 'published' })) as any;
    await drain();
    smtp.clear();
  });
  afterAll(async () => {
    await cms?.stop();
    await smtp?.close();
  });

  it('rejects a broken suggestion with errors per field and saves nothing', async () => {
    const before = await count();
    const res = await cms.api('/api/feedbacks', { token: rep, body: { data: { collateral: deck.documentId, kind: 'rant', suggestion: 'short', urgency: 'now' } } });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.errors.map((e: any) => e.path[0]).sort();
    expect(paths).toEqual(['kind', 'suggestion', 'urgency']);
    expect(res.body.error.message).toContain('suggestion: say what should change in at least 10 characters');
    const ghost = await cms.api('/api/feedbacks', { token: rep, body: { data: { collateral: 'nope', kind: 'correction', suggestion: 'This item does not exist at all.' } } });
    expect(ghost.status).toBe(400);
    expect(ghost.body.error.details.errors[0].path).toEqual(['collateral']);
    expect(await count()).toBe(before);
  });

  it('files a suggestion as the signed-in rep and tells the owner', async () => {
    const res = await cms.api('/api/feedbacks', {
      token: rep,
      body: {
        data: {
          collateral: deck.documentId,
          kind: 'outdated',
          passage: 'Team | up to 25 | $49',
          suggestion: 'The Team tier went up to $59 on 1 November; the sheet still says $49.',
          customerContext: 'Northwind asked why the quote differs from the sheet.',
          urgency: 'high',
        },
      },
    });
    expect(res.status).toBe(201);
    feedbackId = res.body.data.documentId;
    expect(res.body.data).toMatchObject({ state: 'new', collateralVersion: 1 });
    const saved = await cms.strapi.documents('api::feedback.feedback').findOne({ documentId: feedbackId, populate: ['submitter'] as never });
    expect((saved as any).submitter.email).toBe('rep@candor.local');
    await drain();
    const mail = smtp.mails.find((m) => m.subject.includes('Suggested edit'))!;
    expect(mail.to).toBe('marketing@candor.local');
    expect(mail.subject).toBe('[Urgent] Suggested edit for “Pricing sheet 2026: Aurora Pulse” from Riley Rep');
    expect(mail.text).toContain('Customer context: Northwind asked why the quote differs from the sheet.');

    const mine = await cms.api('/api/feedbacks/mine', { token: rep });
    expect(mine.body.data[0]).toMatchObject({ documentId: feedbackId, state: 'new', collateral: { slug: 'pricing-sheet-2026-aurora-pulse' } });
    // Reps see their own suggestions, not everyone's, and cannot set state themselves.
    expect((await cms.api('/api/feedbacks', { token: rep })).status).toBe(403);
    expect((await cms.api(`/api/feedbacks/${feedbackId}`, { method: 'PUT', token: rep, body: { data: { state: 'shipped' } } })).status).toBe(403);
  });

  it('marketing ships the fix in the admin; the rep sees the resolution with the version that fixed it', async () => {
    const cm = `/content-manager/collection-types/api::feedback.feedback/${feedbackId}`;
    const noNote = await cms.api(cm, { method: 'PUT', token: admin, body: { state: 'shipped' } });
    expect(noNote.status).toBe(400);
    expect(noNote.body.error.message).toContain('resolutionNote');
    expect((await cms.strapi.documents('api::feedback.feedback').findOne({ documentId: feedbackId }))!.state).toBe('new');

    // The fix: a new published version of the sheet.
    const marketer = await cms.login('marketing@candor.local', 'Candor-Marketing-1');
    await cms.api(`/api/collaterals/${deck.documentId}?status=published`, { method: 'PUT', token: marketer, body: { data: { summary: 'List prices for 2026 (Team tier $59 from 1 November).' } } });
    const ok = await cms.api(cm, { method: 'PUT', token: admin, body: { state: 'shipped', resolutionNote: 'Team tier corrected to $59.' } });
    expect(ok.status).toBe(200);
    await drain();

    const mine = (await cms.api('/api/feedbacks/mine', { token: rep })).body.data[0];
    expect(mine).toMatchObject({ state: 'shipped', shippedInVersion: 2, resolutionNote: 'Team tier corrected to $59.' });
    const inbox = (await cms.api('/api/change-notices/inbox', { token: rep })).body.data;
    expect(inbox.find((n: any) => n.headline.startsWith('Your suggestion'))).toMatchObject({ headline: 'Your suggestion shipped in version 2: Pricing sheet 2026: Aurora Pulse', why: 'Team tier corrected to $59.', link: 'http://portal.test/collateral/pricing-sheet-2026-aurora-pulse' });
    expect(smtp.mails.some((m) => m.to === 'rep@candor.local' && m.subject.includes('Your suggestion shipped in version 2'))).toBe(true);
  });
});
