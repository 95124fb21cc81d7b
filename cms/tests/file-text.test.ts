/**
 * Search finds words inside the files (plugin files/): an upload is read in the worker through the
 * outbox, page by page, into cn_file_texts; the collateral that uses it is re-indexed with the text;
 * an unchanged file is not read twice, a replaced one is read again, a deleted one leaves the index,
 * and a file that cannot be read says why. Real Strapi, real uploads through the admin API, a real
 * Meilisearch, PDFs built by pdf-lib and PDFKit.
 */
import type { Index } from 'meilisearch';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import PDFKit from 'pdfkit';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passagesFilter, SEARCH_DISPLAY, SEARCH_PASSAGES } from '@candor/change-notices/contracts';
import { startTestCms, type TestCms } from './harness';
import { startMeili, type TestMeili } from './meili';
import { startSmtpReceiver } from './receivers';

const COLLATERAL = 'api::collateral.collateral';
const PHRASE = 'Quantum widget warranty';

async function pdfWithPages(pages: number, phraseOn: number | null, phrase = PHRASE): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n += 1) {
    const page = pdf.addPage([595, 842]);
    page.drawText(`Filler page ${n} about shipping and returns`, { x: 50, y: 780, size: 14, font });
    if (n === phraseOn) page.drawText(phrase, { x: 50, y: 740, size: 14, font });
  }
  return Buffer.from(await pdf.save());
}

/** pdf-lib cannot encrypt; PDFKit writes the standard security handler. */
function encryptedPdf(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFKit({ userPassword: 'open-sesame', ownerPassword: 'owner', pdfVersion: '1.7ext3' });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.text(`Secret roadmap: ${PHRASE}`);
    doc.end();
  });
}

interface Uploaded {
  id: number;
  hash: string;
  ext: string;
  name: string;
}

describe('search inside the files', () => {
  let meili: TestMeili;
  let cms: TestCms;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let admin: string;
  let index: Index<any>;

  const plugin = () => cms.strapi.plugin('change-notices');
  const outboxRows = (topic: string) => cms.strapi.db.connection('cn_outbox').where({ topic }).select('id', 'state', 'idempotency_key', 'payload', 'last_error');
  const extractJobsOf = async (fileId: number) => (await outboxRows('file.extract')).filter((r: any) => JSON.parse(r.payload).fileId === fileId);
  /** Runs the outbox until no extraction or search row is waiting. */
  const settle = async () => {
    for (let i = 0; i < 200; i++) {
      await plugin().service('dispatcher').drain();
      const open = (await cms.strapi.db.connection('cn_outbox').whereIn('topic', ['file.extract', 'search.sync']).whereIn('state', ['pending', 'processing']).count({ n: '*' }))[0] as { n: number | string };
      if (Number(open.n) === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('file.extract or search.sync rows still pending');
  };
  const hitsFor = async (q: string) => (await index.search(q, { attributesToRetrieve: ['id', 'title', 'files.file', 'files.fileName', 'files.label', 'files.index', 'files.kind', 'files.text'] })).hits;

  async function adminUpload(name: string, bytes: Buffer, replaceId?: number): Promise<Uploaded> {
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), name);
    const res = await fetch(`${cms.url}/upload${replaceId ? `?id=${replaceId}` : ''}`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
    expect(res.status, await res.clone().text()).toBe(replaceId ? 200 : 201);
    const body = (await res.json()) as Uploaded[] | Uploaded;
    return Array.isArray(body) ? body[0]! : body;
  }
  const publishWith = async (title: string, fileIds: number[]) =>
    (
      await cms.strapi.documents(COLLATERAL).create({
        data: { title, slug: `file-text-${title.toLowerCase().replace(/\W+/g, '-')}-${Date.now()}`, kind: 'deck', summary: 'A deck with files.', files: fileIds } as never,
        status: 'published',
      })
    ).documentId;

  beforeAll(async () => {
    meili = await startMeili();
    smtp = await startSmtpReceiver();
    cms = await startTestCms({ demoContent: true, env: { ...meili.env, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), NOTICES_BACKOFF_MS: '50' } });
    admin = (await cms.api('/admin/login', { body: { email: 'marketing@candor.local', password: 'Candor-Marketing-1' } })).body.data.token;
    index = meili.client.index(meili.indexName);
    await plugin().service('search').idle();
    await settle();
  });
  afterAll(async () => {
    await cms?.stop();
    await meili?.close();
    await smtp?.close();
  });

  it('reads an uploaded PDF in the worker and finds the item by a phrase on page 7, with the page named', async () => {
    const deck = await adminUpload('Warranty deck.pdf', await pdfWithPages(9, 7));
    const jobs = await extractJobsOf(deck.id);
    expect(jobs.map((r: any) => r.idempotency_key)).toEqual([expect.stringMatching(new RegExp(`^extract:${deck.id}:\\d+$`))]);
    const documentId = await publishWith('Warranty deck', [deck.id]);
    await settle();

    const text = await plugin().service('files').textOf(deck.id);
    expect(text).toMatchObject({ status: 'ok', kind: 'pdf', mime: 'application/pdf', truncated: false });
    expect(text.parts).toHaveLength(9);
    expect(text.parts[6]).toMatchObject({ label: 'Page 7', index: 7 });
    expect(text.parts[6].text).toContain(PHRASE);

    const hits = await hitsFor(`"${PHRASE}"`);
    expect(hits.map((h) => h.id)).toEqual([documentId]);
    const passage = hits[0]!.files.find((p: any) => p.text.includes(PHRASE));
    expect(passage).toMatchObject({ fileName: 'Warranty deck.pdf', label: 'Page 7', index: 7, kind: 'pdf', file: expect.stringMatching(/^Warranty_deck_[\w]+\.pdf$/) });

    // As the portal asks: its page of results marks no file text; for a hit that matched only in a
    // file, a second search by id returns the passages' highlighted, cropped copies, never the text.
    const page = await index.search(PHRASE, { ...SEARCH_DISPLAY, attributesToRetrieve: [...SEARCH_DISPLAY.attributesToRetrieve], attributesToHighlight: [...SEARCH_DISPLAY.attributesToHighlight], attributesToCrop: [...SEARCH_DISPLAY.attributesToCrop], facets: [] });
    expect(page.hits.find((h) => h.id === documentId)!._formatted).not.toHaveProperty('files');
    const shown = await index.search(PHRASE, {
      filter: passagesFilter([documentId]),
      attributesToRetrieve: [...SEARCH_PASSAGES.attributesToRetrieve],
      attributesToHighlight: [...SEARCH_PASSAGES.attributesToHighlight],
      attributesToCrop: [...SEARCH_PASSAGES.attributesToCrop],
      cropLength: SEARCH_PASSAGES.cropLength,
      highlightPreTag: '<mark>',
      highlightPostTag: '</mark>',
    });
    const hit = shown.hits.find((h) => h.id === documentId)!;
    expect(hit.files).toBeUndefined();
    const formatted = hit._formatted.files as { label: string; index: string; kind: string; text: string }[];
    expect(formatted).toHaveLength(9);
    const marked = formatted.filter((p) => p.text.includes('<mark>'));
    expect(marked.map((p) => [p.label, p.index, p.kind])).toEqual([['Page 7', '7', 'pdf']]);
    expect(marked[0]!.text).toContain('<mark>Quantum</mark> <mark>widget</mark> <mark>warranty</mark>');
  });

  it('pictures the first pages of a PDF for the portal, served under the file\'s checks', async () => {
    const brochure = await adminUpload('Pictured brochure.pdf', await pdfWithPages(3, 2));
    const documentId = await publishWith('Pictured brochure', [brochure.id]);
    await settle();
    expect([...(await plugin().service('files').previewPagesOf([brochure.id])).entries()]).toEqual([[brochure.id, 3]]);
    const name = `${brochure.hash}${brochure.ext}`;

    // The item's page and its card say how many pages are pictured.
    const slug = ((await cms.strapi.documents(COLLATERAL).findOne({ documentId, status: 'published' })) as any).slug;
    const rep = await cms.login('rep@candor.local', 'Candor-Rep-1');
    const item = await cms.api(`/api/collaterals/by-slug/${slug}`, { token: rep });
    expect(item.body.data.files.map((f: any) => [f.name, f.pages])).toEqual([['Pictured brochure.pdf', 3]]);
    const list = await cms.api(`/api/collaterals?filters[slug][$eq]=${slug}&fields[0]=title&fields[1]=slug`, { token: rep });
    expect(list.body.data[0].preview).toEqual({ name, pages: 3 });

    const page = (n: string, headers: Record<string, string> = {}) => fetch(`${cms.url}/api/collaterals/files/${name}/pages/${n}`, { headers: { authorization: `Bearer ${rep}`, ...headers } });
    const second = await page('2');
    expect(second.status).toBe(200);
    expect(second.headers.get('content-type')).toBe('image/webp');
    expect(second.headers.get('cache-control')).toBe('private, no-cache');
    const bytes = Buffer.from(await second.arrayBuffer());
    expect(bytes.subarray(8, 12).toString('latin1')).toBe('WEBP');
    // Revalidated, not sent again, while the bytes are the same.
    expect((await page('2', { 'if-none-match': second.headers.get('etag')! })).status).toBe(304);
    expect((await page('4')).status).toBe(404);
    for (const bad of ['0', '-1', 'abc', '99999']) expect((await page(bad)).status, bad).toBe(400);
    expect((await fetch(`${cms.url}/api/collaterals/files/${name}/pages/1`)).status).toBe(403);

    // Deleting the file takes its pictures with its text.
    const res = await fetch(`${cms.url}/upload/files/${brochure.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    await settle();
    expect((await plugin().service('files').previewPagesOf([brochure.id])).size).toBe(0);
  });

  it('ranks a title match above a field match above a file match', async () => {
    const phrase = 'Meridian lanyard bundle';
    const inFile = await adminUpload('Swag catalogue.pdf', await pdfWithPages(1, 1, phrase));
    const fileOnly = await publishWith('Swag catalogue', [inFile.id]);
    const inSummary = (
      await cms.strapi.documents(COLLATERAL).create({ data: { title: 'Event kit', slug: `file-text-event-kit-${Date.now()}`, kind: 'one_pager', summary: `Order the ${phrase} early.` } as never, status: 'published' })
    ).documentId;
    const inTitle = (await cms.strapi.documents(COLLATERAL).create({ data: { title: phrase, slug: `file-text-bundle-${Date.now()}`, kind: 'one_pager', summary: 'Swag.' } as never, status: 'published' })).documentId;
    await settle();
    expect((await hitsFor(phrase)).map((h) => h.id)).toEqual([inTitle, inSummary, fileOnly]);
  });

  it('indexes a file read after its item was published, and does not read unchanged bytes twice', async () => {
    const documentId = await publishWith('Late-read deck', []);
    await settle();
    const late = await adminUpload('Late deck.pdf', await pdfWithPages(2, 2, 'Zephyr onboarding credit'));
    await cms.strapi.documents(COLLATERAL).update({ documentId, data: { files: [late.id] } as never, status: 'published' });
    await settle();
    expect((await hitsFor('"Zephyr onboarding credit"')).map((h) => h.id)).toEqual([documentId]);

    const files = plugin().service('files');
    const job = { id: 0, topic: 'file.extract', key: 'again', payload: { fileId: late.id, writtenAt: Date.now() }, attempt: 1 };
    const readAt = (await files.textOf(late.id)).extractedAt;
    expect(await files.handleExtractJob(job)).toBe('unchanged');
    expect((await files.textOf(late.id)).extractedAt).toBe(readAt);
    expect(await files.handleExtractJob({ ...job, payload: { fileId: 999_999, writtenAt: 1 } })).toBe('gone');

    // A rename writes no bytes: nothing is queued.
    const queued = (await extractJobsOf(late.id)).length;
    const form = new FormData();
    form.append('fileInfo', JSON.stringify({ name: 'Late deck (final).pdf' }));
    const res = await fetch(`${cms.url}/upload?id=${late.id}`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
    expect(res.status, await res.text()).toBe(200);
    expect((await extractJobsOf(late.id)).length).toBe(queued);
  });

  it('reads a replaced file again: the old words leave the index, the new ones arrive', async () => {
    const first = await adminUpload('Pricing sheet.pdf', await pdfWithPages(3, 2, 'Platinum tier discount'));
    const documentId = await publishWith('Pricing sheet', [first.id]);
    await settle();
    expect((await hitsFor('"Platinum tier discount"')).map((h) => h.id)).toEqual([documentId]);

    const replaced = await adminUpload('Pricing sheet.pdf', await pdfWithPages(3, 3, 'Gold tier rebate'), first.id);
    // Strapi keeps the id and hash of a replaced upload (its URL stays): a second job is queued all the same.
    expect(replaced).toMatchObject({ id: first.id, hash: first.hash });
    expect(await extractJobsOf(first.id)).toHaveLength(2);
    await settle();
    expect(await hitsFor('"Platinum tier discount"')).toEqual([]);
    const hits = await hitsFor('"Gold tier rebate"');
    expect(hits.map((h) => h.id)).toEqual([documentId]);
    expect(hits[0]!.files.find((p: any) => p.text.includes('Gold tier rebate')).label).toBe('Page 3');
  });

  it('says why a file could not be read, and keeps the item searchable by its fields', async () => {
    const locked = await adminUpload('Locked roadmap.pdf', await encryptedPdf());
    const documentId = await publishWith('Locked roadmap', [locked.id]);
    await settle();
    const files = plugin().service('files');
    expect(await files.textOf(locked.id)).toMatchObject({ status: 'unreadable', reason: 'encrypted', message: 'text could not be read: encrypted PDF', parts: [] });
    expect(await files.statusOf([{ id: locked.id, name: locked.name, mime: 'application/pdf' }])).toEqual([
      { fileId: locked.id, name: 'Locked roadmap.pdf', state: 'unreadable', kind: null, parts: 0, chars: 0, message: 'text could not be read: encrypted PDF', truncated: false, copies: [], similar: [] },
    ]);
    // The admin's view of the item's files, as the edit view's panel asks for it.
    const status = await cms.api(`/change-notices/files/collateral/${documentId}`, { token: admin });
    expect(status.status, JSON.stringify(status.body)).toBe(200);
    expect(status.body.data).toEqual([expect.objectContaining({ fileId: locked.id, state: 'unreadable', message: 'text could not be read: encrypted PDF' })]);
    expect((await cms.api(`/change-notices/files/collateral/${documentId}`)).status).toBe(401);
    expect((await cms.api('/change-notices/files/collateral/no-such-item', { token: admin })).status).toBe(404);
    const bad = await cms.api(`/change-notices/files/collateral/${encodeURIComponent('x;drop table')}`, { token: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/documentId must be a documentId/);
    expect((await hitsFor('"Locked roadmap"')).map((h) => h.id)).toContain(documentId);
    expect((await hitsFor('"Secret roadmap"')).map((h) => h.id)).not.toContain(documentId);
  });

  it('forgets a deleted file: its text row goes and the item is re-indexed without it', async () => {
    const gone = await adminUpload('Old brochure.pdf', await pdfWithPages(1, 1, 'Vintage brochure promise'));
    const documentId = await publishWith('Old brochure', [gone.id]);
    await settle();
    expect((await hitsFor('"Vintage brochure promise"')).map((h) => h.id)).toEqual([documentId]);

    const res = await fetch(`${cms.url}/upload/files/${gone.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } });
    expect(res.status, await res.text()).toBe(200);
    await settle();
    expect(await plugin().service('files').textOf(gone.id)).toBeNull();
    expect(await hitsFor('"Vintage brochure promise"')).toEqual([]);
  });

  it('shows where else the very same file is used, and which files say almost the same thing', async () => {
    const page = (n: number, extra = '') =>
      `Page ${n}: the Horizon rollout plan covers onboarding, data migration, weekly check-ins and a named success manager for every region ${extra}`;
    const pdf = async (extra: string) => {
      const doc = await PDFDocument.create();
      const font = await doc.embedFont(StandardFonts.Helvetica);
      for (let n = 1; n <= 6; n++) doc.addPage([595, 842]).drawText(page(n, n === 6 ? extra : ''), { x: 20, y: 780, size: 8, font });
      return Buffer.from(await doc.save());
    };
    const original = await pdf('');
    const first = await adminUpload('Rollout plan.pdf', original);
    const copy = await adminUpload('Rollout plan (copy).pdf', original);
    const edited = await adminUpload('Rollout plan v2.pdf', await pdf('and Q3 pricing'));
    const other = await adminUpload('Pricing.pdf', await pdfWithPages(6, 2, 'Completely different pricing words live here'));
    const mine = await publishWith('Rollout plan', [first.id]);
    const partners = await publishWith('Rollout plan for partners', [copy.id]);
    const newest = await publishWith('Rollout plan v2', [edited.id, other.id]);
    await settle();

    const res = await cms.api(`/change-notices/files/collateral/${mine}`, { token: admin });
    expect(res.status).toBe(200);
    const [status] = res.body.data;
    expect(status.copies).toEqual([{ fileId: copy.id, name: 'Rollout plan (copy).pdf', usedBy: ['Rollout plan for partners'] }]);
    expect(status.similar).toEqual([{ fileId: edited.id, name: 'Rollout plan v2.pdf', similarity: expect.any(Number), usedBy: ['Rollout plan v2'] }]);
    expect(status.similar[0].similarity).toBeGreaterThanOrEqual(0.8);
    expect(status.similar[0].similarity).toBeLessThan(1);

    // Across the library: one group, "these 3 files say almost the same thing", newest first.
    const library = await cms.api('/change-notices/files/duplicates', { token: admin });
    expect(library.status).toBe(200);
    const group = (library.body.data as { files: { fileId: number; similarity: number }[] }[]).find((g) => g.files.some((f) => f.fileId === first.id))!;
    expect(group).toMatchObject({
      items: 3,
      files: [
        { fileId: edited.id, name: 'Rollout plan v2.pdf', sameBytes: true, similarity: 1, usedBy: [{ title: 'Rollout plan v2', standing: 'confirmed', published: true }] },
        { fileId: copy.id, name: 'Rollout plan (copy).pdf', sameBytes: false, copyOf: null, usedBy: [{ title: 'Rollout plan for partners', published: true }] },
        { fileId: first.id, name: 'Rollout plan.pdf', sameBytes: false, copyOf: copy.id, usedBy: [{ documentId: mine, title: 'Rollout plan' }] },
      ],
    });
    expect(group.files.length).toBe(3);
    expect(group.files[1]!.similarity).toBeGreaterThanOrEqual(0.8);
    expect((library.body.data as { files: { fileId: number }[] }[]).some((g) => g.files.some((f) => f.fileId === other.id))).toBe(false);
    expect((await cms.api('/change-notices/files/duplicates')).status).toBe(401);

    // Merged into the newest: the others are retracted with it as their replacement; it records the merge.
    const merge = (body: unknown) => cms.api('/change-notices/files/duplicates/merge', { token: admin, body });
    expect((await merge({ keep: newest, merge: [newest, mine] })).status).toBe(400);
    expect((await merge({ keep: 'nothing-here', merge: [mine] })).status).toBe(404);
    expect((await merge({ keep: newest, merge: [] })).status).toBe(400);
    expect((await merge({ keep: newest, merge: ['../x'] })).status).toBe(400);
    const merged = await merge({ keep: newest, merge: [mine, partners] });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body.data).toMatchObject({ kept: newest, merged: [mine, partners], version: 2 });
    for (const id of [mine, partners]) {
      const row = (await cms.strapi.documents(COLLATERAL).findOne({ documentId: id, status: 'published', populate: { replacedBy: { fields: ['documentId'] } } } as never)) as unknown as { standing: string; standingReason: string; replacedBy: { documentId: string } };
      expect(row).toMatchObject({ standing: 'retracted', replacedBy: { documentId: newest } });
      expect(row.standingReason).toContain('Merged into “Rollout plan v2”');
    }
    const history = await cms.api(`/change-notices/versions/collateral/${newest}`, { token: admin });
    expect(history.body.data[0]).toMatchObject({ number: 2, cause: 'merge', changes: [] });
    expect(history.body.data[0].summary).toBe('Merged in “Rollout plan” (Rollout plan.pdf), “Rollout plan for partners” (Rollout plan (copy).pdf): retracted, with this item as their replacement.');
    // Again (a double click, an interrupted merge): nothing more to do.
    expect((await merge({ keep: newest, merge: [mine, partners] })).body.data).toEqual({ kept: newest, merged: [], version: null });
  });

  it('skips pictures: an image upload queues no reading', async () => {
    const before = (await outboxRows('file.extract')).length;
    const form = new FormData();
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#2b6cb0' } }).png().toBuffer();
    form.append('files', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'dot.png');
    const res = await fetch(`${cms.url}/upload`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
    expect(res.status, await res.text()).toBe(201);
    expect((await outboxRows('file.extract')).length).toBe(before);
  });
});
