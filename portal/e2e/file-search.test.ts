/**
 * Words inside files, found through the portal in Chromium: the marketer uploads a deck and a PDF
 * through the admin's upload API (what the media library calls), publishes an item with them, the
 * worker reads them, and the rep's search names the slide or page that matched. The PDF's page link
 * opens the file in the browser at that page. admin-upload.test.ts clicks the upload in the admin UI.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pdfWithPages, pptxWithSlides } from '../../plugins/change-notices/src/test-support/documents';
import { launchBrowser, useSession, VIEWPORTS, type Browser } from './browser';
import { until } from './poll';
import { strapiApi } from './strapi';

const portalUrl = inject('portalUrl');
const strapiUrl = inject('strapiUrl');
const repToken = inject('repToken');

const SLIDE_PHRASE = 'Orbital stadium sponsorship';
const PAGE_PHRASE = 'Lighthouse loyalty rebate';

const deckWithSlides = (slides: number, phraseOn: number) =>
  pptxWithSlides(slides, (n) => [`Agenda item ${n}: pipeline review`, ...(n === phraseOn ? [`Our ${SLIDE_PHRASE} runs all season, in every home game.`] : [])]);
const termsWithPages = (pages: number, phraseOn: number) =>
  pdfWithPages(pages, (n) => [`Terms, page ${n}`, ...(n === phraseOn ? [`The ${PAGE_PHRASE} pays back 4 % each quarter.`] : [])]);

describe('search inside the files, in the portal', () => {
  let browser: Browser;
  const slug = `sponsorship-deck-${Date.now()}`;
  let documentId = '';
  let marketer = '';

  beforeAll(async () => {
    const strapi = strapiApi(strapiUrl);
    const admin = inject('adminToken');
    const upload = async (name: string, type: string, bytes: Uint8Array) => {
      const form = new FormData();
      form.append('files', new Blob([new Uint8Array(bytes)], { type }), name);
      const res = await fetch(`${strapiUrl}/upload`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
      if (res.status !== 201) throw new Error(`upload of ${name} answered ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { id: number }[])[0]!.id;
    };
    const deck = await upload('Sponsorship deck.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation', await deckWithSlides(9, 7));
    const terms = await upload('Loyalty terms.pdf', 'application/pdf', await termsWithPages(4, 3));
    marketer = await strapi.signIn();
    const created = await strapi.request('/api/collaterals?status=published', marketer, {
      json: { data: { title: 'Season sponsorship pitch', slug, kind: 'deck', summary: 'How we pitch the season.', files: [deck, terms] } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    documentId = created.body.data.documentId;

    browser = await launchBrowser(VIEWPORTS.desktop);
    await useSession(browser.context, portalUrl, repToken);
    // The worker reads both files, then re-indexes the item.
    const found = async (q: string) => {
      const res = await browser.context.request.get(`${portalUrl}/api/search?q=${encodeURIComponent(q)}`);
      return res.ok() && ((await res.json()) as { results: { slug: string }[] }).results.some((r) => r.slug === slug);
    };
    await until('both files read and indexed', async () => (await found(SLIDE_PHRASE)) && (await found(PAGE_PHRASE)));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('finds a phrase from slide 7 of a deck, with the slide named and the words marked', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/search?q=${encodeURIComponent(SLIDE_PHRASE)}`);
    const hit = page.locator(`[data-testid="search-hit"][data-slug="${slug}"]`);
    const passage = hit.getByTestId('hit-passage');
    expect(await passage.innerText()).toMatch(/^Slide 7: Agenda item 7: pipeline review Our Orbital stadium sponsorship runs all season/);
    expect(await passage.locator('mark').allInnerTexts()).toEqual(['Orbital', 'stadium', 'sponsorship']);
    // A deck has no page to open at: the slide's link downloads it.
    const href = await passage.getByRole('link', { name: 'Slide 7' }).getAttribute('href');
    expect(href).toMatch(new RegExp(`^/collateral/${slug}/download/Sponsorship_deck_\\w+\\.pptx$`));
    await page.screenshot({ path: 'docs/screenshots/portal-search-file-passage.png', fullPage: false });
    await page.close();
  });

  it('links a PDF page hit to the PDF, shown in the browser at that page', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/search?q=${encodeURIComponent(PAGE_PHRASE)}`);
    const passage = page.locator(`[data-testid="search-hit"][data-slug="${slug}"]`).getByTestId('hit-passage');
    expect(await passage.innerText()).toMatch(/^Page 3: Terms, page 3 The Lighthouse loyalty rebate/);
    const href = (await passage.getByRole('link', { name: 'Page 3' }).getAttribute('href'))!;
    expect(href).toMatch(new RegExp(`^/collateral/${slug}/download/Loyalty_terms_\\w+\\.pdf\\?view=inline#page=3$`));
    const res = await browser.context.request.get(`${portalUrl}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/pdf');
    expect(res.headers()['content-disposition']).toMatch(/^inline; filename="Loyalty terms.pdf"/);
    // Without ?view=inline it stays a download.
    const plain = await browser.context.request.get(`${portalUrl}${href.replace(/\?.*$/, '')}`);
    expect(plain.headers()['content-disposition']).toMatch(/^attachment;/);
    await page.close();
  });

  it('pictures the PDF’s pages on the card and the collateral page; a picture is the rep’s only, and gone once retracted', async () => {
    const page = await browser.context.newPage();
    // The card: no cover, so the first page of the first pictured file (the PDF; the deck saved none).
    await page.goto(`${portalUrl}/?q=${encodeURIComponent('Season sponsorship pitch')}`);
    const card = page.locator(`[data-testid="collateral-card"][data-slug="${slug}"]`);
    const cardPicture = card.getByTestId('card-preview');
    await until('the card’s picture loaded', () => cardPicture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0));
    expect(await cardPicture.getAttribute('src')).toMatch(/^\/previews\/Loyalty_terms_\w+\.pdf\/1$/);
    await card.screenshot({ path: 'docs/screenshots/portal-card-page-preview.png' });

    await page.goto(`${portalUrl}/collateral/${slug}`);
    const strip = page.getByTestId('file-pages');
    expect(await strip.getByRole('heading').innerText()).toBe('Pages of Loyalty terms.pdf');
    const links = strip.getByTestId('page-link');
    expect(await links.allInnerTexts()).toEqual(['Page 1', 'Page 2', 'Page 3', 'Page 4']);
    expect(await links.nth(2).getAttribute('href')).toMatch(new RegExp(`^/collateral/${slug}/download/Loyalty_terms_\\w+\\.pdf\\?view=inline#page=3$`));
    await links.last().scrollIntoViewIfNeeded();
    await until('every page picture loaded', () => strip.locator('img').evaluateAll((imgs: HTMLImageElement[]) => imgs.every((i) => i.complete && i.naturalWidth > 0)));
    await page.getByTestId('page-cover').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'docs/screenshots/portal-collateral-pages.png', fullPage: true });

    const src = (await links.nth(1).locator('img').getAttribute('src'))!;
    const picture = await browser.context.request.get(`${portalUrl}${src}`);
    expect(picture.status()).toBe(200);
    expect(picture.headers()['content-type']).toBe('image/webp');
    expect(picture.headers()['cache-control']).toBe('private, no-cache');
    const bytes = await picture.body();
    expect(bytes.subarray(0, 4).toString('latin1') + bytes.subarray(8, 12).toString('latin1')).toBe('RIFFWEBP');
    const again = await browser.context.request.get(`${portalUrl}${src}`, { headers: { 'if-none-match': picture.headers()['etag']! } });
    expect(again.status()).toBe(304);
    expect((await browser.context.request.get(`${portalUrl}${src.replace(/\/2$/, '/9')}`)).status()).toBe(404);
    expect((await browser.context.request.get(`${portalUrl}${src.replace(/\/2$/, '/0')}`)).status()).toBe(400);
    expect((await browser.context.request.get(`${portalUrl}/previews/..%2Fsecrets/1`)).status()).toBe(404);

    // No session: the sign-in page, never the picture.
    const stranger = await launchBrowser(VIEWPORTS.desktop);
    try {
      const anonymous = await stranger.context.request.get(`${portalUrl}${src}`, { maxRedirects: 0 });
      expect([302, 303]).toContain(anonymous.status());
      expect(anonymous.headers()['location']).toMatch(/^\/login/);
    } finally {
      await stranger.close();
    }

    const retracted = await strapiApi(strapiUrl).request(`/api/change-notices/standing/collateral/${documentId}`, marketer, { json: { standing: 'retracted', reason: 'The rebate ended.' } });
    expect(retracted.status, JSON.stringify(retracted.body)).toBe(200);
    expect((await browser.context.request.get(`${portalUrl}${src}`)).status()).toBe(410);
    await page.close();
  });
});
