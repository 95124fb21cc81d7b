import { describe, expect, it } from 'vitest';
import { createCmsClient, type Media } from './cms';
import { downloadHref, fileEntries, fileTypeLabel, mediaDecision, mediaOwners, originalOfFormat, recordView, uploadHeaders, uploadName, type MediaOwner } from './downloads';

function fakeClient(handler: (url: URL, init: RequestInit) => Response) {
  const calls: { url: URL; init: RequestInit }[] = [];
  const fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(String(input));
    calls.push({ url, init });
    return handler(url, init);
  }) as typeof globalThis.fetch;
  return { client: createCmsClient({ baseUrl: 'http://cms.test', fetch }), calls };
}
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const media = (over: Partial<Media> = {}): Media => ({ name: 'deck.pdf', url: '/uploads/deck_abc123.pdf', alternativeText: null, mime: 'application/pdf', size: 1534.2, width: null, height: null, formats: {}, pages: 0, ...over });

describe('file names and links', () => {
  it('takes the upload’s own name from local and cloud URLs, refusing anything odd', () => {
    expect(uploadName('/uploads/deck_abc123.pdf')).toBe('deck_abc123.pdf');
    expect(uploadName('https://cdn.example.com/candor/deck_abc123.pdf')).toBe('deck_abc123.pdf');
    expect(uploadName('/api/collaterals/files/deck_abc123.pdf')).toBe('deck_abc123.pdf');
    expect(uploadName('/uploads/deck_abc123.pdf?expires=9&signature=s')).toBe('deck_abc123.pdf');
    expect(uploadName('/uploads/../etc/passwd')).toBeNull();
    expect(uploadName('http://plain.example.com/x.pdf')).toBeNull();
    expect(uploadName(null)).toBeNull();
    expect(downloadHref('pricing-sheet', { url: '/uploads/deck_abc123.pdf' })).toBe('/collateral/pricing-sheet/download/deck_abc123.pdf');
  });

  it('labels types as reps know them', () => {
    expect(fileTypeLabel('application/pdf', 'a.pdf')).toBe('PDF');
    expect(fileTypeLabel('application/vnd.openxmlformats-officedocument.presentationml.presentation', 'a.pptx')).toBe('PowerPoint');
    expect(fileTypeLabel('image/png', 'a.png')).toBe('PNG image');
    expect(fileTypeLabel(null, 'notes.key')).toBe('KEY');
    expect(fileTypeLabel(null, 'noext')).toBe('File');
  });

  it('lists files with download link, type, size and Strapi’s thumbnail for images', () => {
    const image = media({ name: 'Chart.png', url: '/uploads/chart_1.png', mime: 'image/png', size: 80, formats: { thumbnail: { url: '/uploads/thumbnail_chart_1.png', width: 245, height: 138 } } });
    expect(fileEntries('deck', [media(), image, media({ url: 'ftp://x/y.pdf' })])).toEqual([
      { name: 'deck.pdf', href: '/collateral/deck/download/deck_abc123.pdf', typeLabel: 'PDF', badge: 'PDF', sizeText: '1.5 MB', thumbnail: null, pages: [] },
      { name: 'Chart.png', href: '/collateral/deck/download/chart_1.png', typeLabel: 'PNG image', badge: 'PNG', sizeText: '80 KB', thumbnail: { src: '/media/thumbnail_chart_1.png', width: 245, height: 138 }, pages: [] },
    ]);
  });

  it('shows the worker’s page pictures: a PDF page opens at that page, a deck’s picture downloads it', () => {
    const [pdf, deck] = fileEntries('launch', [
      media({ pages: 2 }),
      media({ name: 'Deck.pptx', url: '/api/collaterals/files/deck_9.pptx', mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', pages: 1 }),
    ]);
    expect(pdf!.thumbnail).toEqual({ src: '/previews/deck_abc123.pdf/1', width: null, height: null });
    expect(pdf!.pages).toEqual([
      { page: 1, src: '/previews/deck_abc123.pdf/1', href: '/collateral/launch/download/deck_abc123.pdf?view=inline#page=1' },
      { page: 2, src: '/previews/deck_abc123.pdf/2', href: '/collateral/launch/download/deck_abc123.pdf?view=inline#page=2' },
    ]);
    expect(deck!.pages).toEqual([{ page: 1, src: '/previews/deck_9.pptx/1', href: '/collateral/launch/download/deck_9.pptx' }]);
  });

  it('maps generated image sizes back to their original', () => {
    expect(originalOfFormat('thumbnail_cover_1.png')).toBe('cover_1.png');
    expect(originalOfFormat('cover_1.png')).toBeNull();
  });

  it('quotes file names safely in Content-Disposition', () => {
    const named = (filename: string) => uploadHeaders(new Response('x', { headers: { 'content-type': 'application/pdf' } }), { filename, disposition: 'attachment', cacheControl: 'no-store' }).get('content-disposition');
    expect(named('Präsentation "final".pdf')).toBe('attachment; filename="Präsentation \\"final\\".pdf"');
    // Outside ISO-8859-1 (and control characters): a plain fallback name plus the exact one as filename*.
    expect(named('报告\r\n.pdf')).toBe(`attachment; filename="????.pdf"; filename*=UTF-8''%E6%8A%A5%E5%91%8A%0D%0A.pdf`);
  });
});

describe('what /media does with a file', () => {
  const owner = (over: Partial<MediaOwner>): MediaOwner => ({ slug: 'deck', title: 'Deck', standing: 'confirmed', files: [], cover: null, ...over });

  it('answers gone for any file of a retracted item, cover sizes included', () => {
    const retracted = owner({ slug: 'offer', title: 'Offer', standing: 'retracted', files: [{ url: '/uploads/offer_1.pdf' }], cover: { url: '/uploads/cover_1.png' } });
    expect(mediaDecision('offer_1.pdf', [retracted])).toEqual({ action: 'gone', slug: 'offer', title: 'Offer' });
    expect(mediaDecision('thumbnail_cover_1.png', [retracted])).toEqual({ action: 'gone', slug: 'offer', title: 'Offer' });
  });

  it('sends documents of current items through their download route, serves their images', () => {
    const current = owner({ files: [{ url: '/api/collaterals/files/deck_1.pdf' }], cover: { url: '/uploads/cover_2.png' } });
    expect(mediaDecision('deck_1.pdf', [current])).toEqual({ action: 'download', href: '/collateral/deck/download/deck_1.pdf' });
    expect(mediaDecision('small_cover_2.png', [current])).toEqual({ action: 'serve' });
    // Shared with a retracted item: the current item still uses it.
    expect(mediaDecision('deck_1.pdf', [current, owner({ standing: 'retracted', files: [{ url: '/uploads/deck_1.pdf' }] })])).toMatchObject({ action: 'download' });
  });

  it('serves images no collateral uses, but no stray documents', () => {
    expect(mediaDecision('logo.png', [])).toEqual({ action: 'serve' });
    expect(mediaDecision('orphan.pdf', [])).toEqual({ action: 'missing' });
  });
});

describe('CMS calls', () => {
  it('asks for the owners of an upload in every standing, matching cover sizes to their original', async () => {
    const { client, calls } = fakeClient(() => json(200, { data: [{ slug: 'offer', title: 'Offer', standing: 'retracted', files: [], cover: { url: '/uploads/c.png' } }], meta: {} }));
    expect(await mediaOwners(client, 'jwt', 'thumbnail_c.png')).toEqual([{ slug: 'offer', title: 'Offer', standing: 'retracted', files: [], cover: { url: '/uploads/c.png' } }]);
    const q = Object.fromEntries(calls[0]!.url.searchParams);
    expect(q['filters[standing][$in][2]']).toBe('retracted');
    expect(q['filters[$or][0][files][hash][$in][0]']).toBe('thumbnail_c');
    expect(q['filters[$or][1][cover][hash][$in][1]']).toBe('c');
  });

  it('records a view or download as the rep', async () => {
    const { client, calls } = fakeClient(() => new Response(null, { status: 204 }));
    await recordView(client, 'jwt', 'doc1', 'download');
    expect(calls[0]!.url.pathname).toBe('/api/change-notices/views');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ collateral: 'doc1', action: 'download' });
    await expect(recordView(fakeClient(() => json(400, { error: { message: 'The view is invalid' } })).client, 'jwt', 'x', 'view')).rejects.toMatchObject({ code: 'rejected' });
  });
});

describe('upload response headers', () => {
  it('sends downloads as attachments with the original name; pages never render inline', () => {
    const pdf = new Response('x', { headers: { 'content-type': 'application/pdf', 'content-length': '1' } });
    const h = uploadHeaders(pdf, { filename: 'deck.pdf', disposition: 'attachment', cacheControl: 'private, no-store' });
    expect(h.get('content-type')).toBe('application/pdf');
    expect(h.get('content-disposition')).toMatch(/^attachment; filename="deck.pdf"/);
    expect(h.get('content-security-policy')).toBeNull();
    const html = uploadHeaders(new Response('<script>', { headers: { 'content-type': 'text/html' } }), { filename: 'x.html', disposition: 'auto', cacheControl: 'no-store' });
    expect(html.get('content-type')).toBe('application/octet-stream');
    expect(html.get('content-disposition')).toMatch(/^attachment/);
    expect(html.get('content-security-policy')).toContain('sandbox');
    const png = uploadHeaders(new Response('x', { headers: { 'content-type': 'image/png' } }), { filename: 'a.png', disposition: 'auto', cacheControl: 'no-store' });
    expect(png.get('content-disposition')).toMatch(/^inline/);
  });
});
