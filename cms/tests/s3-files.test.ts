/**
 * Production storage: a private S3-compatible bucket through @strapi/provider-upload-aws-s3, against a
 * real S3-protocol server (s3rver). Objects are uploaded private; the admin gets presigned URLs; reps
 * get the checked route, which redirects to a presigned URL only after the standing check.
 */
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCms, type TestCms } from './harness';
import { startS3, type TestS3 } from './s3';

const COLLATERAL = 'api::collateral.collateral';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

describe('files in a private S3 bucket', () => {
  let s3: TestS3;
  let cms: TestCms;
  let admin: string;
  let rep: string;
  let marketer: string;
  let deck: { id: number; url: string; hash: string; ext: string };
  let slug: string;
  let documentId: string;
  /** The stored object's key: a document's content hash (src/files/stored-once.ts). */
  const objectOf = (url: string) => path.posix.basename(new URL(url, 'http://x').pathname);
  /** The upload's own name, which the checked route uses. */
  const nameOf = (f: { hash: string; ext: string }) => `${f.hash}${f.ext}`;

  beforeAll(async () => {
    s3 = await startS3();
    cms = await startTestCms({ demoContent: true, env: { ...s3.env, UPLOAD_SIGNED_URL_TTL: '120' } });
    admin = (await cms.api('/admin/login', { body: { email: 'marketing@candor.local', password: 'Candor-Marketing-1' } })).body.data.token;
    rep = await cms.login('rep@candor.local', 'Candor-Rep-1');
    marketer = await cms.login('marketing@candor.local', 'Candor-Marketing-1');
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), 'Bucket deck.pdf');
    const res = await fetch(`${cms.url}/upload`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
    expect(res.status, await res.clone().text()).toBe(201);
    deck = ((await res.json()) as (typeof deck)[])[0]!;
    slug = `bucket-deck-${Date.now()}`;
    const doc = await cms.strapi.documents(COLLATERAL).create({ data: { title: 'Bucket deck', slug, kind: 'deck', summary: 'Stored in S3.', files: [deck.id] } as never, status: 'published' });
    documentId = doc.documentId;
  });

  afterAll(async () => {
    await cms?.stop();
    await s3?.close();
  });

  it('uploads objects private, and the bucket refuses them to anyone unsigned', async () => {
    expect(deck.url.startsWith(`${s3.endpoint}/${s3.bucket}/`)).toBe(true);
    expect(s3.acls.get(objectOf(deck.url))).toBe('private');
    expect((await fetch(deck.url.split('?')[0]!)).status).toBe(403);
    // Nothing is served from Strapi's old public path either.
    expect((await fetch(`${cms.url}/uploads/${objectOf(deck.url)}`)).status).toBe(404);
  });

  it('gives the admin presigned URLs that expire', async () => {
    const list = await cms.api(`/upload/files?filters[id][$eq]=${deck.id}`, { token: admin });
    const url = list.body.results[0].url as string;
    const signed = new URL(url);
    expect(signed.searchParams.get('X-Amz-Expires')).toBe('120');
    expect(signed.searchParams.get('X-Amz-Signature')).toBeTruthy();
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
    signed.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    expect((await fetch(signed)).status).toBe(403);
  });

  it('hands reps the checked route, which redirects to a presigned URL only for a current item', async () => {
    const page = await cms.api(`/api/collaterals/by-slug/${slug}`, { token: rep });
    const url = page.body.data.files[0].url as string;
    expect(url).toBe(`/api/collaterals/files/${nameOf(deck)}`);
    const redirect = await fetch(`${cms.url}${url}`, { headers: { authorization: `Bearer ${rep}` }, redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toMatch(new RegExp(`^${s3.endpoint}/${s3.bucket}/.+X-Amz-Signature=`));
    // As the portal fetches it: following the redirect (fetch drops the rep's token at the bucket).
    const followed = await fetch(`${cms.url}${url}`, { headers: { authorization: `Bearer ${rep}` } });
    expect(followed.status).toBe(200);
    expect(Buffer.from(await followed.arrayBuffer()).equals(PDF)).toBe(true);
    expect([401, 403]).toContain((await fetch(`${cms.url}${url}`, { redirect: 'manual' })).status);
  });

  it('stores an identical document once in the bucket, and deletes the object with its last upload', async () => {
    const upload = async (name: string) => {
      const form = new FormData();
      form.append('files', new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), name);
      const res = await fetch(`${cms.url}/upload`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
      expect(res.status, await res.clone().text()).toBe(201);
      return ((await res.json()) as (typeof deck)[])[0]!;
    };
    const key = objectOf(deck.url);
    const before = s3.writes.length;
    const copy = await upload('Bucket deck (copy).pdf');
    expect(objectOf(copy.url)).toBe(key);
    expect(nameOf(copy)).not.toBe(nameOf(deck));
    expect(s3.writes.slice(before)).toEqual([]);
    // The copy's presigned URL reaches the shared object.
    const signed = ((await cms.api(`/upload/files?filters[id][$eq]=${copy.id}`, { token: admin })).body.results as { url: string }[])[0]!.url;
    const res = await fetch(signed);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
    // Deleting the copy keeps the object for the deck.
    expect((await cms.api(`/upload/files/${copy.id}`, { token: admin, method: 'DELETE' })).status).toBe(200);
    expect(s3.writes.slice(before)).toEqual([]);
    const third = await upload('Bucket deck (third).pdf');
    expect((await cms.api(`/upload/files/${third.id}`, { token: admin, method: 'DELETE' })).status).toBe(200);
    expect(s3.writes.slice(before)).toEqual([]);
  });

  it('answers 410 for a retracted item’s file, with no redirect to the bucket', async () => {
    const res = await cms.api(`/api/change-notices/standing/collateral/${documentId}`, { token: marketer, body: { standing: 'retracted', reason: 'Superseded by the 2027 deck.' } });
    expect(res.status).toBe(200);
    const gone = await fetch(`${cms.url}/api/collaterals/files/${nameOf(deck)}`, { headers: { authorization: `Bearer ${rep}` }, redirect: 'manual' });
    expect(gone.status).toBe(410);
    expect(gone.headers.get('location')).toBeNull();
  });

  it('reads a file’s text from the private bucket, through a signed URL', async () => {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    pdf.addPage([595, 842]).drawText('Cover page', { x: 50, y: 780, size: 14, font });
    pdf.addPage([595, 842]).drawText('Bucket-borne rebate terms', { x: 50, y: 780, size: 14, font });
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(await pdf.save())], { type: 'application/pdf' }), 'Rebate terms.pdf');
    const res = await fetch(`${cms.url}/upload`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
    expect(res.status, await res.clone().text()).toBe(201);
    const file = ((await res.json()) as { id: number }[])[0]!;
    // The queued job, run by its handler here (file-text.test.ts runs it through the dispatcher).
    const plugin = cms.strapi.plugin('change-notices');
    const row = (await cms.strapi.db.connection('cn_outbox').where({ topic: 'file.extract' }).select('id', 'idempotency_key', 'payload')).find((r: any) => JSON.parse(r.payload).fileId === file.id);
    expect(await plugin.service('files').handleExtractJob({ id: row.id, topic: 'file.extract', key: row.idempotency_key, payload: JSON.parse(row.payload), attempt: 1 })).toBe('read');
    const text = await plugin.service('files').textOf(file.id);
    expect(text).toMatchObject({ status: 'ok', kind: 'pdf', parts: [{ label: 'Page 1', index: 1, text: 'Cover page' }, { label: 'Page 2', index: 2, text: 'Bucket-borne rebate terms' }] });
  });
});
