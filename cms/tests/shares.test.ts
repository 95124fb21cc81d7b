/**
 * Share links to buyers against the real Strapi: a rep shares, the buyer opens (no sign-in), pages
 * and downloads a stamped PDF; the rep sees it and hears of the first open; marketing retracts and
 * every file URL answers 410 at once, the rep is told which buyers have it, and one call sends the
 * replacement. Forged, truncated, expired and revoked links reveal nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { pdfWithPages } from '../../plugins/change-notices/src/test-support/documents';
import { startTestCms, type TestCms } from './harness';
import { startSmtpReceiver } from './receivers';

const PUBLIC = '/api/change-notices/public/shares';
const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const pdf = await getDocument({ data: bytes, useSystemFonts: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n += 1) pages.push((await (await pdf.getPage(n)).getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(' '));
  return pages;
}

describe('share links: the truth follows the link', () => {
  let cms: TestCms;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let rep: string;
  let admin: string;
  let sheet: { documentId: string; title: string };
  let replacement: { documentId: string; title: string };
  let token: string;
  let shareId: number;
  let fileId: number;
  const drain = () => cms.strapi.plugin('change-notices').service('dispatcher').drain();
  const raw = (path: string) => fetch(`${cms.url}${path}`);

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    cms = await startTestCms({ demoContent: true, env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), PORTAL_URL: 'http://portal.test' } });
    rep = await cms.login('rep@candor.local', 'Candor-Rep-1');
    admin = (await cms.api('/admin/login', { body: { email: 'marketing@candor.local', password: 'Candor-Marketing-1' } })).body.data.token;
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(await pdfWithPages(5, (n) => [`Aurora pricing, page ${n}`]))], { type: 'application/pdf' }), 'Aurora pricing.pdf');
    const up = await fetch(`${cms.url}/upload`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
    expect(up.status).toBe(201);
    const uploaded = ((await up.json()) as { id: number }[])[0]!;
    const publish = async (title: string, files: number[]) =>
      (await cms.strapi.documents('api::collateral.collateral').create({ data: { title, slug: `share-${title.toLowerCase().replace(/\W+/g, '-')}`, kind: 'pricing_sheet', summary: `${title}: what it costs.`, body: 'Internal talk track: never mention the discount.', files } as never, status: 'published' })) as any;
    sheet = await publish('Aurora pricing 2026', [uploaded.id]);
    replacement = await publish('Aurora pricing 2027', []);
    // The worker reads the demo files and pictures their pages.
    await drain();
  });
  afterAll(async () => {
    await cms?.stop();
    await smtp?.close();
  });

  it('refuses bad shares with a 400 per field, internal items with a 403, and saves nothing', async () => {
    const bad = await cms.api('/api/change-notices/shares', { token: rep, body: { collateral: sheet.documentId, buyerName: '', buyerEmail: 'not-an-email', buyerCompany: 'Acme', expiresInDays: 999 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors.map((e: any) => e.path[0]).sort()).toEqual(['buyerEmail', 'buyerName', 'expiresInDays']);
    const battlecard = (await cms.strapi.documents('api::collateral.collateral').findFirst({ filters: { kind: 'battlecard' } as never, status: 'published' })) as any;
    expect(battlecard).toBeTruthy();
    const internal = await cms.api('/api/change-notices/shares', { token: rep, body: { collateral: battlecard.documentId, buyerName: 'Jane Buyer', buyerEmail: 'jane@acme.test', buyerCompany: 'Acme' } });
    expect(internal.status).toBe(403);
    expect(internal.body.error.message).toMatch(/internal/);
    const anon = await cms.api('/api/change-notices/shares', { body: { collateral: sheet.documentId, buyerName: 'Jane', buyerEmail: 'jane@acme.test', buyerCompany: 'Acme' } });
    expect(anon.status).toBe(403);
    // PostgreSQL counts as a string.
    expect(Number(((await cms.strapi.db.connection('cn_shares').count({ n: '*' }).first()) as { n: number | string }).n)).toBe(0);
  });

  it('a rep shares an item; the buyer opens it with no sign-in and sees only what is customer-facing', async () => {
    const res = await cms.api('/api/change-notices/shares', { token: rep, body: { collateral: sheet.documentId, buyerName: 'Jane Buyer', buyerEmail: 'Jane@Acme.test', buyerCompany: 'Acme <Corp>', allowDownload: 'on' } });
    expect(res.status).toBe(201);
    const share = res.body.data;
    expect(share).toMatchObject({ state: 'active', allowDownload: true, buyer: { name: 'Jane Buyer', email: 'jane@acme.test', company: 'Acme <Corp>' }, item: { documentId: sheet.documentId } });
    expect(share.url).toMatch(/^http:\/\/portal\.test\/s\/[A-Za-z0-9_-]{48}$/);
    expect(new Date(share.expiresAt).getTime() - Date.now()).toBeGreaterThan(29.9 * 86_400_000);
    token = tokenOf(share.url);
    shareId = share.id;

    const view = await cms.api(`${PUBLIC}/${token}?open=1`);
    expect(view.status).toBe(200);
    expect(view.body.data).toMatchObject({ state: 'live', title: sheet.title, buyer: { name: 'Jane Buyer', company: 'Acme <Corp>' }, sharedBy: { email: 'rep@candor.local' }, allowDownload: true });
    const text = JSON.stringify(view.body.data);
    for (const internal of ['claims', 'reviewNote', 'needsReview', 'standingReason', 'ownerEmail', 'talk track']) expect(text).not.toContain(internal);
    const pdf = view.body.data.files.find((f: any) => f.kind === 'pdf');
    expect(pdf).toMatchObject({ name: 'Aurora pricing.pdf', pictured: 5, pages: 5 });
    fileId = pdf.id;
  });

  it('pages and downloads are served and logged; the download is stamped with the buyer on every page', async () => {
    const page = await raw(`${PUBLIC}/${token}/files/${fileId}/pages/1`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('image/webp');
    expect(page.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect((await raw(`${PUBLIC}/${token}/files/${fileId}/pages/99`)).status).toBe(404);
    const dl = await raw(`${PUBLIC}/${token}/files/${fileId}`);
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-disposition')).toMatch(/^attachment;/);
    const pages = await pdfText(new Uint8Array(await dl.arrayBuffer()));
    expect(pages).toHaveLength(5);
    for (const p of pages) expect(p).toContain('Prepared for Jane Buyer (jane@acme.test), Acme <Corp>');

    const mine = await cms.api('/api/change-notices/shares', { token: rep });
    expect(mine.body.data[0].activity).toMatchObject({ opens: 1, pagesViewed: 1, downloads: 1 });
    expect(mine.body.data[0].activity.pagesTotal).toBe(5);
  });

  it('the rep hears of the first open once, informational', async () => {
    await cms.api(`${PUBLIC}/${token}?open=1`);
    await drain();
    const inbox = await cms.api('/api/change-notices/inbox', { token: rep });
    const opened = inbox.body.data.filter((n: any) => n.headline.startsWith('Jane Buyer (Acme <Corp>) opened'));
    expect(opened).toHaveLength(1);
    expect(opened[0].urgency).toBe('fyi');
    expect((await cms.api('/api/change-notices/shares', { token: rep })).body.data[0].activity.opens).toBe(2);
  });

  it('forged, truncated, oversize and traversal tokens answer 404 and say nothing', async () => {
    const forged = token.slice(0, 16) + (token[16] === 'A' ? 'B' : 'A') + token.slice(17);
    for (const t of [forged, token.slice(0, 47), `${token}A`, 'x'.repeat(5000), '..%2F..%2Fadmin', '%00', token.replace(/./, '/')]) {
      const res = await raw(`${PUBLIC}/${t}`);
      expect([400, 404, 414, 431]).toContain(res.status);
      const body = await res.text();
      expect(body).not.toContain('Jane');
      expect(body).not.toContain(sheet.title);
    }
    expect((await raw(`${PUBLIC}/${forged}/files/${fileId}`)).status).toBe(404);
    expect((await raw(`${PUBLIC}/${token}/files/0x1`)).status).toBe(404);
    expect((await raw(`${PUBLIC}/${token}/files/${fileId}/pages/0`)).status).toBe(404);
    expect((await raw(`${PUBLIC}/${token}/files/${fileId + 100000}`)).status).toBe(404);
  });

  it('a view-only link shows pages but refuses the download; an expired link serves nothing', async () => {
    const res = await cms.api('/api/change-notices/shares', { token: rep, body: { collateral: sheet.documentId, buyerName: 'Bo', buyerEmail: 'bo@beta.test', buyerCompany: 'Beta', expiresInDays: '7' } });
    const t = tokenOf(res.body.data.url);
    expect((await raw(`${PUBLIC}/${t}/files/${fileId}/pages/1`)).status).toBe(200);
    expect((await raw(`${PUBLIC}/${t}/files/${fileId}`)).status).toBe(403);
    await cms.strapi.db.connection('cn_shares').where({ id: res.body.data.id }).update({ expires_at: Date.now() - 1000 });
    expect((await cms.api(`${PUBLIC}/${t}`)).body.data).toMatchObject({ state: 'expired', files: [] });
    expect((await raw(`${PUBLIC}/${t}/files/${fileId}/pages/1`)).status).toBe(410);
    // Revoked by the rep: the same.
    await cms.api(`/api/change-notices/shares/${res.body.data.id}/revoke`, { method: 'POST', token: rep });
    expect((await cms.api(`${PUBLIC}/${t}`)).body.data.state).toBe('revoked');
  });

  it('marketing retracts: every file URL answers 410 at once, the buyer reads the public note, the rep is told whom to tell, and one call sends the replacement', async () => {
    const res = await cms.api(`/change-notices/standing/collateral/${sheet.documentId}`, {
      token: admin,
      body: { standing: 'retracted', reason: 'The 2026 prices were withdrawn by finance.', publicNote: 'These prices are no longer offered.', replacement: replacement.documentId },
    });
    expect(res.status).toBe(200);
    // No queue in between: the link reads the standing live.
    expect((await raw(`${PUBLIC}/${token}/files/${fileId}`)).status).toBe(410);
    expect((await raw(`${PUBLIC}/${token}/files/${fileId}/pages/1`)).status).toBe(410);
    const view = (await cms.api(`${PUBLIC}/${token}`)).body.data;
    expect(view).toMatchObject({ state: 'withdrawn', note: 'These prices are no longer offered.', files: [], replacement: { title: replacement.title } });

    await drain();
    const inbox = await cms.api('/api/change-notices/inbox?filter=action_required', { token: rep });
    const notice = inbox.body.data.find((n: any) => n.headline.includes('buyer you sent it to'));
    expect(notice).toBeTruthy();
    expect(notice.whatChanged).toContain('Jane Buyer (Acme <Corp>)');
    expect(notice.link).toBe(`http://portal.test/shares?item=${sheet.documentId}`);

    const mine = (await cms.api('/api/change-notices/shares', { token: rep })).body.data.find((s: any) => s.id === shareId);
    expect(mine).toMatchObject({ state: 'withdrawn', replacement: { documentId: replacement.documentId, shareable: true } });
    const sent = await cms.api(`/api/change-notices/shares/${shareId}/replacement`, { method: 'POST', token: rep });
    expect(sent.status).toBe(200);
    expect(sent.body.data).toMatchObject({ state: 'active', buyer: { email: 'jane@acme.test' }, item: { documentId: replacement.documentId } });
    const again = await cms.api(`/api/change-notices/shares/${shareId}/replacement`, { method: 'POST', token: rep });
    expect(again.body.data.id).toBe(sent.body.data.id);
    expect((await cms.api(`${PUBLIC}/${tokenOf(sent.body.data.url)}`)).body.data.state).toBe('live');

    const reach = await cms.api(`/change-notices/shares/items/${sheet.documentId}`, { method: 'GET', token: admin });
    expect(reach.body.data.reach).toMatchObject({ links: 1, buyers: 1, reps: 1, opened: 1 });
  });

  it('scaled back: the link shows marketing’s note until a version is marked safe for buyers, then serves that version', async () => {
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(await pdfWithPages(2, (n) => [`Coverage map, page ${n}`]))], { type: 'application/pdf' }), 'Coverage.pdf');
    const up = await fetch(`${cms.url}/upload`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
    const file = ((await up.json()) as { id: number }[])[0]!;
    const item = (await cms.strapi.documents('api::collateral.collateral').create({ data: { title: 'Coverage one-pager', slug: 'share-coverage', kind: 'one_pager', summary: 'Nationwide coverage.', files: [file.id] } as never, status: 'published' })) as any;
    await drain();
    const made = await cms.api('/api/change-notices/shares', { token: rep, body: { collateral: item.documentId, buyerName: 'Kim', buyerEmail: 'kim@gamma.test', buyerCompany: 'Gamma' } });
    const t = tokenOf(made.body.data.url);
    const scaled = await cms.api(`/change-notices/standing/collateral/${item.documentId}`, {
      token: admin,
      body: { standing: 'scaled_back', reason: 'Coverage is regional for now.', nowTrue: 'Coverage is in 12 regions, not nationwide.', publicNote: 'We are updating this sheet; ask us for the regional map.' },
    });
    expect(scaled.status).toBe(200);
    expect((await cms.api(`${PUBLIC}/${t}`)).body.data).toMatchObject({ state: 'note', note: 'We are updating this sheet; ask us for the regional map.', files: [] });
    expect((await raw(`${PUBLIC}/${t}/files/${file.id}/pages/1`)).status).toBe(410);
    // Marketing marks version 1 (before the scale-back) as fit for buyers.
    const marked = await cms.api(`/change-notices/versions/collateral/${item.documentId}/1/customer-safe`, { method: 'PUT', token: admin, body: { customerSafe: true } });
    expect(marked.status).toBe(200);
    expect(marked.body.data).toMatchObject({ number: 1, customerSafe: true });
    const view = (await cms.api(`${PUBLIC}/${t}`)).body.data;
    expect(view).toMatchObject({ state: 'live', title: 'Coverage one-pager', summary: 'Nationwide coverage.' });
    expect(view.files.map((f: any) => f.id)).toEqual([file.id]);
    expect((await raw(`${PUBLIC}/${t}/files/${file.id}/pages/1`)).status).toBe(200);
    // A rep cannot mark versions; a bad body is a 400.
    expect((await cms.api(`/change-notices/versions/collateral/${item.documentId}/1/customer-safe`, { method: 'PUT', token: admin, body: { customerSafe: 'yes' } })).status).toBe(400);
    const asRep = await fetch(`${cms.url}/api/change-notices/versions/collateral/${item.documentId}/1/customer-safe`, { method: 'PUT', headers: { authorization: `Bearer ${rep}`, 'content-type': 'application/json' }, body: '{"customerSafe":false}' });
    expect([403, 404, 405]).toContain(asRep.status);
    expect((await cms.api(`/change-notices/versions/collateral/${item.documentId}/1/customer-safe`, { method: 'PUT', token: rep, body: { customerSafe: false } })).status).toBe(401);
  });

  it('another rep cannot revoke or see someone else’s links', async () => {
    const role = await cms.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'sales_rep' } });
    await cms.strapi.plugin('users-permissions').service('user').add({ username: 'other-rep', email: 'other@candor.test', password: 'Other-Rep-1', provider: 'local', confirmed: true, blocked: false, role: role.id });
    const other = await cms.login('other@candor.test', 'Other-Rep-1');
    expect((await cms.api(`/api/change-notices/shares/${shareId}/revoke`, { method: 'POST', token: other })).status).toBe(404);
    expect((await cms.api(`/api/change-notices/shares/${shareId}/replacement`, { method: 'POST', token: other })).status).toBe(404);
    expect((await cms.api('/api/change-notices/shares', { token: other })).body.data).toEqual([]);
  });
});
