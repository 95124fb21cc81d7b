/**
 * Files are private (src/files): nothing is served from an upload's URL alone. The admin's media
 * library gets short-lived signed URLs; reps and API clients get the checked route, which serves a
 * published, current item's files, answers 410 once the item is retracted and 404 for drafts.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCms, type TestCms } from './harness';

const COLLATERAL = 'api::collateral.collateral';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

interface UploadedFile {
  id: number;
  url: string;
  hash: string;
  ext: string;
  formats: Record<string, { url: string; hash: string }> | null;
}

describe('private files', () => {
  let cms: TestCms;
  let admin: string;
  let rep: string;
  let marketer: string;
  const uploaded: Record<'deck' | 'cover' | 'draftFile' | 'retractedFile', UploadedFile> = {} as never;
  let deckSlug: string;
  let retractedId: string;

  /** Uploads through the admin's upload API, as the media library does. */
  async function adminUpload(name: string, type: string, bytes: Buffer): Promise<UploadedFile> {
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(bytes)], { type }), name);
    const res = await fetch(`${cms.url}/upload`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as UploadedFile[])[0]!;
  }

  const get = (pathname: string, token?: string) => fetch(`${cms.url}${pathname}`, { headers: token ? { authorization: `Bearer ${token}` } : {}, redirect: 'manual' });
  /** The upload's own name, which the checked route and the admin's signed URLs use. */
  const nameOf = (f: Pick<UploadedFile, 'hash' | 'ext'>) => `${f.hash}${f.ext}`;
  /** The stored object's name: a document's content hash (src/files/stored-once.ts). */
  const objectOf = (f: { url: string }) => path.posix.basename(f.url.split('?')[0]!);

  beforeAll(async () => {
    cms = await startTestCms({ demoContent: true });
    admin = (await cms.api('/admin/login', { body: { email: 'marketing@candor.local', password: 'Candor-Marketing-1' } })).body.data.token;
    rep = await cms.login('rep@candor.local', 'Candor-Rep-1');
    marketer = await cms.login('marketing@candor.local', 'Candor-Marketing-1');
    const png = await sharp({ create: { width: 800, height: 450, channels: 3, background: '#2b6cb0' } }).png().toBuffer();
    uploaded.deck = await adminUpload('Launch deck.pdf', 'application/pdf', PDF);
    uploaded.cover = await adminUpload('Launch cover.png', 'image/png', png);
    uploaded.draftFile = await adminUpload('Unreleased plan.pdf', 'application/pdf', PDF);
    uploaded.retractedFile = await adminUpload('Free migration offer.pdf', 'application/pdf', PDF);

    const docs = cms.strapi.documents(COLLATERAL);
    deckSlug = `private-files-deck-${Date.now()}`;
    await docs.create({ data: { title: 'Private files launch deck', slug: deckSlug, kind: 'deck', summary: 'The deck.', files: [uploaded.deck.id], cover: uploaded.cover.id } as never, status: 'published' });
    await docs.create({ data: { title: 'Unreleased plan', slug: `private-files-draft-${Date.now()}`, kind: 'deck', summary: 'Not yet.', files: [uploaded.draftFile.id] } as never });
    const offer = await docs.create({
      data: { title: 'Free migration offer', slug: `private-files-offer-${Date.now()}`, kind: 'one_pager', summary: 'Gone.', files: [uploaded.retractedFile.id] } as never,
      status: 'published',
    });
    retractedId = offer.documentId;
    const res = await cms.api(`/api/change-notices/standing/collateral/${retractedId}`, { token: marketer, body: { standing: 'retracted', reason: 'The offer ended in March.' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  afterAll(async () => {
    await cms?.stop();
  });

  it('stores files outside every folder Strapi serves', () => {
    const dir = process.env.UPLOADS_DIR!;
    expect(fs.existsSync(path.join(dir, objectOf(uploaded.deck)))).toBe(true);
    expect(fs.existsSync(path.join(cms.strapi.dirs.static.public, 'uploads', objectOf(uploaded.deck)))).toBe(false);
    expect(uploaded.deck.url.startsWith('/uploads/')).toBe(true);
  });

  it('answers 401 to anyone at an upload URL without a valid signature, and 405 to writes', async () => {
    for (const file of Object.values(uploaded)) {
      const res = await get(`/uploads/${nameOf(file)}`);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/private/);
    }
    const name = nameOf(uploaded.deck);
    expect((await get(`/uploads/${name}?expires=9999999999&signature=forged`)).status).toBe(401);
    // A rep's token does not open the old path either: reps go through the checked route.
    expect((await get(`/uploads/${name}`, rep)).status).toBe(401);
    expect((await fetch(`${cms.url}/uploads/${name}`, { method: 'DELETE' })).status).toBe(405);
    for (const traversal of ['/uploads/..%2f..%2fpackage.json', '/uploads/%2e%2e%2f.env', '/uploads/a%2fb.pdf', '/uploads/%E0%A4%A.pdf']) {
      expect([400, 404]).toContain((await get(traversal)).status);
    }
  });

  it('gives the admin signed URLs that work for a while, and only for the file they name', async () => {
    const list = await cms.api(`/upload/files?filters[id][$eq]=${uploaded.cover.id}`, { token: admin });
    const cover = (list.body.results as UploadedFile[])[0]!;
    expect(cover.url).toMatch(/^\/uploads\/[^?]+\?expires=\d+&signature=[\w-]+$/);
    const res = await get(cover.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toMatch(/private/);
    // The generated sizes are signed too (the media library shows the thumbnail).
    expect((await get(cover.formats!.thumbnail!.url)).status).toBe(200);
    // The signature of one file does not open another.
    const other = `/uploads/${nameOf(uploaded.deck)}${cover.url.slice(cover.url.indexOf('?'))}`;
    expect((await get(other)).status).toBe(401);
    // An expired signature is refused with a reason.
    const { urlSigner } = (await import(path.join(cms.strapi.dirs.dist.root, 'src/files/signing.js'))) as typeof import('../src/files/signing');
    const stale = urlSigner(cms.strapi.config.get<string[]>('server.app.keys'), 60).sign(nameOf(uploaded.cover), Date.now() - 3_600_000);
    const expired = await get(stale);
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
    // The content manager's edit view signs the item's media as well.
    const entry = await cms.api(`/content-manager/collection-types/${COLLATERAL}?filters[slug][$eq]=${deckSlug}&populate=files`, { token: admin });
    const files = (entry.body.results[0]?.files ?? []) as { url: string }[];
    expect(files.length).toBe(1);
    expect((await get(files[0]!.url)).status).toBe(200);
  });

  it('hands reps the checked route, never a storage URL, and serves a current item’s files there', async () => {
    const page = await cms.api(`/api/collaterals/by-slug/${deckSlug}`, { token: rep });
    expect(page.status).toBe(200);
    const file = page.body.data.files[0] as { url: string };
    expect(file.url).toBe(`/api/collaterals/files/${nameOf(uploaded.deck)}`);
    expect(page.body.data.cover.url).toBe(`/api/collaterals/files/${nameOf(uploaded.cover)}`);
    const res = await get(file.url, rep);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true);
    // A REST populate of the url alone gets the checked route too (Strapi would not sign it unasked).
    const bare = await cms.api(`/api/collaterals?filters[slug][$eq]=${deckSlug}&populate[files][fields][0]=url`, { token: rep });
    expect(bare.body.data[0].files).toEqual([expect.objectContaining({ url: `/api/collaterals/files/${nameOf(uploaded.deck)}` })]);
    expect(bare.body.data[0].files[0].provider).toBeUndefined();
    const thumb = page.body.data.cover.formats.thumbnail as { url: string };
    expect(thumb.url).toMatch(/^\/api\/collaterals\/files\/thumbnail_/);
    const image = await get(thumb.url, rep);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
  });

  it('answers 401/403 to anonymous callers, 404 for a draft’s file, 410 for a retracted item’s', async () => {
    for (const file of Object.values(uploaded)) expect([401, 403]).toContain((await get(`/api/collaterals/files/${nameOf(file)}`)).status);
    expect((await get(`/api/collaterals/files/${nameOf(uploaded.draftFile)}`, rep)).status).toBe(404);
    const gone = await get(`/api/collaterals/files/${nameOf(uploaded.retractedFile)}`, rep);
    expect(gone.status).toBe(410);
    const body = (await gone.json()) as { error: { message: string; details: { documentId: string } } };
    expect(body.error.message).toContain('The offer ended in March.');
    expect(body.error.details.documentId).toBe(retractedId);
    expect((await get('/api/collaterals/files/nothing_here.pdf', rep)).status).toBe(404);
    // (fetch itself resolves a %2e%2e segment; the hostile-input suite sends such paths raw.)
    for (const bad of ['..%2f..%2fpackage.json', 'a%2fb.pdf', '.env', '%00.pdf']) {
      const res = await get(`/api/collaterals/files/${bad}`, rep);
      expect([400, 404], `${bad}: ${res.status} ${await res.clone().text()}`).toContain(res.status);
    }
  });

  it('serves the file again when the item is un-retracted, and 410 from the next request after a retraction', async () => {
    const name = nameOf(uploaded.deck);
    const deck = await cms.strapi.documents(COLLATERAL).findFirst({ filters: { slug: deckSlug }, status: 'published' });
    const retract = await cms.api(`/api/change-notices/standing/collateral/${deck!.documentId}`, { token: marketer, body: { standing: 'retracted', reason: 'Pulled for legal review.' } });
    expect(retract.status).toBe(200);
    expect((await get(`/api/collaterals/files/${name}`, rep)).status).toBe(410);
    const restore = await cms.api(`/api/change-notices/standing/collateral/${deck!.documentId}`, { token: marketer, body: { standing: 'confirmed', reason: 'Legal cleared it.' } });
    expect(restore.status, JSON.stringify(restore.body)).toBe(200);
    expect((await get(`/api/collaterals/files/${name}`, rep)).status).toBe(200);
  });

  it('stores identical documents once, each upload still its own file; the bytes go with the last upload using them', async () => {
    const dir = process.env.UPLOADS_DIR!;
    const sha = createHash('sha256').update(PDF).digest('hex');
    // The deck, the draft's file and the retracted item's file are the same PDF: one object, three
    // files with their own names, items and answers (200, 404 and 410 above).
    const copies = [uploaded.deck, uploaded.draftFile, uploaded.retractedFile];
    expect(copies.map(objectOf)).toEqual([`${sha}.pdf`, `${sha}.pdf`, `${sha}.pdf`]);
    expect(new Set(copies.map(nameOf)).size).toBe(3);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith(sha))).toEqual([`${sha}.pdf`]);
    for (const f of copies) expect(fs.existsSync(path.join(dir, nameOf(f)))).toBe(false);
    // Images keep Strapi's names: their generated sizes are named after them.
    expect(objectOf(uploaded.cover)).toBe(nameOf(uploaded.cover));

    const variant = (n: number) => Buffer.from(`${PDF.toString('latin1')}% copy ${n} ${Date.now()}\n`, 'latin1');
    const signedOf = async (id: number) => ((await cms.api(`/upload/files?filters[id][$eq]=${id}`, { token: admin })).body.results as UploadedFile[])[0]!.url;
    const bytesOf = async (id: number) => Buffer.from(await (await get(await signedOf(id))).arrayBuffer());
    const remove = async (id: number) => expect((await cms.api(`/upload/files/${id}`, { token: admin, method: 'DELETE' })).status).toBe(200);

    const one = variant(1);
    const [a, b] = [await adminUpload('Copy A.pdf', 'application/pdf', one), await adminUpload('Copy B.pdf', 'application/pdf', one)];
    expect(objectOf(a)).toBe(objectOf(b));
    await remove(a.id);
    expect(fs.existsSync(path.join(dir, objectOf(b)))).toBe(true);
    expect((await bytesOf(b.id)).equals(one)).toBe(true);
    await remove(b.id);
    expect(fs.existsSync(path.join(dir, objectOf(b)))).toBe(false);

    // Replacing one of two copies (the media library's "replace") gives it new bytes, not the other.
    const two = variant(2);
    const [c, d] = [await adminUpload('Copy C.pdf', 'application/pdf', two), await adminUpload('Copy D.pdf', 'application/pdf', two)];
    const form = new FormData();
    const three = variant(3);
    form.append('files', new Blob([new Uint8Array(three)], { type: 'application/pdf' }), 'Copy C v2.pdf');
    const replaced = await fetch(`${cms.url}/upload?id=${c.id}`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
    expect(replaced.status, await replaced.clone().text()).toBe(200);
    expect((await bytesOf(c.id)).equals(three)).toBe(true);
    expect((await bytesOf(d.id)).equals(two)).toBe(true);
    expect(fs.existsSync(path.join(dir, objectOf(d)))).toBe(true);
    // Replacing a file with the very same bytes keeps them.
    const again = new FormData();
    again.append('files', new Blob([new Uint8Array(three)], { type: 'application/pdf' }), 'Copy C v2.pdf');
    expect((await fetch(`${cms.url}/upload?id=${c.id}`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: again })).status).toBe(200);
    expect((await bytesOf(c.id)).equals(three)).toBe(true);

    // Copies deleted together (the media library's bulk delete) take their object with them.
    const four = variant(4);
    const [e, f] = [await adminUpload('Copy E.pdf', 'application/pdf', four), await adminUpload('Copy F.pdf', 'application/pdf', four)];
    const bulk = await cms.api('/upload/actions/bulk-delete', { token: admin, body: { fileIds: [e.id, f.id] } });
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(200);
    expect(fs.existsSync(path.join(dir, objectOf(e)))).toBe(false);
  });

  it('adopts what an older version left in the public folder: the file moves into the store, the row to the private provider', async () => {
    const legacyDir = path.join(cms.strapi.dirs.static.public, 'uploads');
    fs.mkdirSync(legacyDir, { recursive: true });
    const name = `legacy_deck_${Date.now()}.pdf`;
    fs.writeFileSync(path.join(legacyDir, name), PDF);
    const files = cms.strapi.db.query('plugin::upload.file');
    const row = await files.create({ data: { name: 'Legacy deck.pdf', hash: name.replace(/\.pdf$/, ''), ext: '.pdf', mime: 'application/pdf', size: 0.1, url: `/uploads/${name}`, provider: 'local' } });
    // Node's own require, so this is the module instance the running Strapi loaded.
    const { adoptLegacyUploads } = createRequire(import.meta.url)(path.join(cms.strapi.dirs.dist.src, 'files/install.js')) as typeof import('../src/files/install');
    await adoptLegacyUploads(cms.strapi);
    expect(fs.existsSync(path.join(legacyDir, name))).toBe(false);
    expect(fs.readFileSync(path.join(process.env.UPLOADS_DIR!, name)).equals(PDF)).toBe(true);
    expect((await files.findOne({ where: { id: row.id } })).provider).toBe(cms.strapi.config.get('plugin::upload.provider'));
    const list = await cms.api(`/upload/files?filters[id][$eq]=${row.id}`, { token: admin });
    const signed = (list.body.results as UploadedFile[])[0]!.url;
    expect(signed).toMatch(/\?expires=/);
    expect((await get(signed)).status).toBe(200);
  });
});
