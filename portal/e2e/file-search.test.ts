/**
 * Words inside files, found through the portal in Chromium: the marketer uploads a deck and a PDF
 * through the admin's upload API (what the media library calls), publishes an item with them, the
 * worker reads them, and the rep's search names the slide or page that matched. The PDF's page link
 * opens the file in the browser at that page. admin-upload.test.ts clicks the upload in the admin UI.
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import PptxGenJS from 'pptxgenjs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, useSession, VIEWPORTS, type Browser } from './browser';
import { until } from './poll';
import { strapiApi } from './strapi';

const portalUrl = inject('portalUrl');
const strapiUrl = inject('strapiUrl');
const repToken = inject('repToken');

const SLIDE_PHRASE = 'Orbital stadium sponsorship';
const PAGE_PHRASE = 'Lighthouse loyalty rebate';

async function deckWithSlides(slides: number, phraseOn: number): Promise<Uint8Array> {
  const pptx = new PptxGenJS();
  for (let n = 1; n <= slides; n += 1) {
    const slide = pptx.addSlide();
    slide.addText(`Agenda item ${n}: pipeline review`, { x: 1, y: 1, w: 8, h: 1 });
    if (n === phraseOn) slide.addText(`Our ${SLIDE_PHRASE} runs all season, in every home game.`, { x: 1, y: 2, w: 8, h: 1 });
  }
  return (await pptx.write({ outputType: 'uint8array' })) as Uint8Array;
}

async function pdfWithPages(pages: number, phraseOn: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n += 1) {
    const page = pdf.addPage([595, 842]);
    page.drawText(`Terms, page ${n}`, { x: 50, y: 780, size: 14, font });
    if (n === phraseOn) page.drawText(`The ${PAGE_PHRASE} pays back 4 % each quarter.`, { x: 50, y: 740, size: 14, font });
  }
  return pdf.save();
}

describe('search inside the files, in the portal', () => {
  let browser: Browser;
  const slug = `sponsorship-deck-${Date.now()}`;

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
    const terms = await upload('Loyalty terms.pdf', 'application/pdf', await pdfWithPages(4, 3));
    const marketer = await strapi.signIn();
    const created = await strapi.request('/api/collaterals?status=published', marketer, {
      json: { data: { title: 'Season sponsorship pitch', slug, kind: 'deck', summary: 'How we pitch the season.', files: [deck, terms] } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

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
});
