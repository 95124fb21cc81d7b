/**
 * Unlinked mentions of a claim (plugin mentions/): published collateral whose fields or files say what
 * a claim says, typo-tolerant, without being linked to it; linking one flags it and records its
 * version. Real Strapi, real Meilisearch, a PDF read by the worker.
 */
import type { Index } from 'meilisearch';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCms, type TestCms } from './harness';
import { startMeili, type TestMeili } from './meili';
import { startSmtpReceiver } from './receivers';

const COLLATERAL = 'api::collateral.collateral';
const CLAIM = 'api::claim.claim';

describe('unlinked mentions of a claim', () => {
  let meili: TestMeili;
  let cms: TestCms;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let admin: string;
  let marketer: string;
  let index: Index<any>;
  let claim: string;
  const ids: Record<'linked' | 'inSummary' | 'inFile' | 'unrelated', string> = {} as never;

  const plugin = () => cms.strapi.plugin('change-notices');
  const settle = async () => {
    for (let i = 0; i < 200; i++) {
      await plugin().service('dispatcher').drain();
      const open = (await cms.strapi.db.connection('cn_outbox').whereIn('topic', ['file.extract', 'search.sync']).whereIn('state', ['pending', 'processing']).count({ n: '*' }))[0] as { n: number | string };
      if (Number(open.n) === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('file.extract or search.sync rows still pending');
  };
  const mentions = () => cms.api(`/change-notices/claims/${claim}/mentions`, { token: admin });
  const publish = async (data: Record<string, unknown>) => (await cms.strapi.documents(COLLATERAL).create({ data: { kind: 'one_pager', slug: `mentions-${Math.random().toString(36).slice(2)}`, ...data } as never, status: 'published' })).documentId;

  beforeAll(async () => {
    meili = await startMeili();
    smtp = await startSmtpReceiver();
    cms = await startTestCms({ demoContent: true, env: { ...meili.env, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), NOTICES_BACKOFF_MS: '50' } });
    admin = (await cms.api('/admin/login', { body: { email: 'marketing@candor.local', password: 'Candor-Marketing-1' } })).body.data.token;
    marketer = await cms.login('marketing@candor.local', 'Candor-Marketing-1');
    index = meili.client.index(meili.indexName);
    await plugin().service('search').idle();

    claim = (await cms.strapi.documents(CLAIM).create({ data: { statement: 'Nationwide stadium roadshow', slug: `nationwide-stadium-roadshow-${Date.now()}`, keyPhrases: 'Twelve arena tour\nroadshow', details: 'Q3.' } as never, status: 'published' })).documentId;
    ids.linked = await publish({ title: 'Roadshow deck', summary: 'Our nationwide stadium roadshow.', claims: [claim] as never });
    // A typo ("nationwde"), as decks have them.
    ids.inSummary = await publish({ title: 'Stadium partner letter', summary: 'Join the nationwde stadium roadshow this autumn.' });
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    pdf.addPage([595, 842]).drawText('Agenda', { x: 50, y: 780, size: 14, font });
    pdf.addPage([595, 842]).drawText('Then the twelve arena tour begins in September.', { x: 50, y: 780, size: 14, font });
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(await pdf.save())], { type: 'application/pdf' }), 'Event plan.pdf');
    const res = await fetch(`${cms.url}/upload`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
    expect(res.status).toBe(201);
    const file = ((await res.json()) as { id: number }[])[0]!;
    ids.inFile = await publish({ title: 'Event plan', summary: 'Dates and venues.', files: [file.id] });
    ids.unrelated = await publish({ title: 'Pricing one-pager', summary: 'Per-seat prices.' });
    await settle();
    expect(await index.getDocument(ids.inFile)).toMatchObject({ files: [expect.anything(), expect.objectContaining({ label: 'Page 2' })] });
  });
  afterAll(async () => {
    await cms?.stop();
    await meili?.close();
    await smtp?.close();
  });

  it('finds the items whose fields or files mention the claim and are not linked, with the passage', async () => {
    const res = await mentions();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.meta).toEqual({ claim, phrases: ['Nationwide stadium roadshow', 'Twelve arena tour', 'roadshow'], linked: 1 });
    const byId = Object.fromEntries(res.body.data.map((m: any) => [m.documentId, m]));
    expect(Object.keys(byId).sort()).toEqual([ids.inSummary, ids.inFile].sort());
    expect(byId[ids.inSummary]).toMatchObject({ title: 'Stadium partner letter', where: 'Summary', phrase: 'Nationwide stadium roadshow' });
    expect(byId[ids.inSummary].passage).toContain('<mark>nationwde</mark> <mark>stadium</mark> <mark>roadshow</mark>');
    expect(byId[ids.inFile]).toMatchObject({ title: 'Event plan', where: 'Page 2 of Event plan.pdf', phrase: 'Twelve arena tour' });
    expect(byId[ids.inFile].passage).toContain('<mark>twelve</mark> <mark>arena</mark> <mark>tour</mark>');
  });

  it('links one in a click: the item is flagged with the claim’s new truth, versioned, and leaves the list', async () => {
    const scaled = await cms.api(`/api/change-notices/standing/claim/${claim}`, { token: marketer, body: { standing: 'scaled_back', reason: 'Budget cut.', nowTrue: 'Four city events' } });
    expect(scaled.status, JSON.stringify(scaled.body)).toBe(200);
    // Scaling back flagged only the linked item: the point of looking for mentions.
    const flaggedBefore = await cms.strapi.documents(COLLATERAL).findMany({ status: 'published', filters: { needsReview: true, documentId: { $in: Object.values(ids) } } as never, fields: ['documentId'] });
    expect(flaggedBefore.map((d) => d.documentId)).toEqual([ids.linked]);
    // The claim's notice tells reps how many more items say it and are being checked.
    await plugin().service('dispatcher').drain();
    const notice = await cms.strapi.db.connection('cn_notices').where({ subject_document_id: claim }).orderBy('id', 'desc').first();
    expect(JSON.parse(notice.details)).toContain('2 more items mention this claim without being linked to it; marketing is checking them, and you will get a notice for each one linked.');

    const link = await cms.api(`/change-notices/claims/${claim}/mentions/${ids.inFile}/link`, { method: 'POST', token: admin });
    expect(link.status, JSON.stringify(link.body)).toBe(200);
    expect(link.body.data).toMatchObject({ claim, collateral: ids.inFile, flagged: true, version: expect.any(Number) });
    const item = (await cms.strapi.documents(COLLATERAL).findOne({ documentId: ids.inFile, status: 'published', populate: { claims: { fields: ['statement'] } } as never })) as any;
    expect(item.claims.map((c: any) => c.statement)).toEqual(['Nationwide stadium roadshow']);
    expect(item.needsReview).toBe(true);
    expect(item.reviewNote).toBe('Claim “Nationwide stadium roadshow” is scaled back and this collateral mentions it. Now true: Four city events (reason: Budget cut.)');
    // The draft is linked too, and was not published by it.
    const draft = (await cms.strapi.documents(COLLATERAL).findOne({ documentId: ids.inFile, status: 'draft', populate: { claims: { fields: ['statement'] } } as never })) as any;
    expect(draft.claims.map((c: any) => c.statement)).toEqual(['Nationwide stadium roadshow']);
    const versions = await cms.api(`/api/change-notices/versions/collateral/${ids.inFile}`, { token: marketer });
    expect(versions.body.data[0]).toMatchObject({ number: link.body.data.version, cause: 'link' });
    const notices = await cms.strapi.db.connection('cn_outbox').where({ topic: 'notice.version' }).select('payload');
    expect(notices.some((r: any) => JSON.parse(r.payload).documentId === ids.inFile && JSON.parse(r.payload).version === link.body.data.version)).toBe(true);

    await settle();
    const after = await mentions();
    expect(after.body.data.map((m: any) => m.documentId)).toEqual([ids.inSummary]);
    expect(after.body.meta.linked).toBe(2);
  });

  it('answers bad ids with 400, unknown ones with 404, and nobody without a sign-in', async () => {
    expect((await cms.api(`/change-notices/claims/${claim}/mentions`)).status).toBe(401);
    expect((await cms.api('/change-notices/claims/no-such-claim/mentions', { token: admin })).status).toBe(404);
    const bad = await cms.api(`/change-notices/claims/${encodeURIComponent('a b')}/mentions`, { token: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/documentId must be a documentId/);
    expect((await cms.api(`/change-notices/claims/${claim}/mentions/no-such-item/link`, { method: 'POST', token: admin })).status).toBe(404);
    expect((await cms.api(`/change-notices/claims/${claim}/mentions/${ids.unrelated}/link`, { method: 'POST' })).status).toBe(401);
  });
});
