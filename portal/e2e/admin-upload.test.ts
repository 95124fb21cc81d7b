/**
 * The story as a marketer clicks it, in the real Strapi admin in Chromium: a new Collateral
 * entry gets a deck uploaded through the media library dialog and is saved and published with the
 * edit view's buttons. The worker reads the deck in its outbox job; the rep's portal search for a
 * phrase that is only on slide 7 names "Slide 7" in the hit and shows the phrase. file-search.test.ts
 * does the same through the admin's HTTP API, with a PDF's page links too.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pptxWithSlides } from '../../plugins/change-notices/src/test-support/documents';
import { ROOT } from '../../scripts/lib/paths';
import { launchBrowser, signIn, VIEWPORTS, type Browser } from './browser';
import { until } from './poll';
import { signInToAdmin } from './strapi';

const portalUrl = inject('portalUrl');
const strapiUrl = inject('strapiUrl');

const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');
const PHRASE = 'Kestrel harbour regatta';
const SLIDES = 9;
const DECK_NAME = 'Season sponsorship deck.pptx';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
/** How long the worker may take to read the deck and the index to catch up (seconds when all is well). */
const READ_TIMEOUT_MS = 60_000;
// The phrase's words only in the deck: the search finds the item only once the worker has read it.
const ITEM = {
  title: 'Sailing season sponsorship pitch',
  // Typed rather than generated: the admin proposes "collateral" for every new entry until Regenerate.
  // Every run starts from a fresh database, so a fixed slug is free.
  slug: 'sailing-season-sponsorship-pitch',
  summary: 'How we pitch the sailing season to sponsors.',
};

describe('a deck uploaded in the Strapi admin, found in the portal', () => {
  let admin: Browser;
  let portal: Browser;

  beforeAll(async () => {
    // Tall enough for the edit view to show the files field and the side panel in one screenshot.
    admin = await launchBrowser({ width: 1280, height: 1400 });
    portal = await launchBrowser(VIEWPORTS.desktop);
  });
  afterAll(async () => {
    await admin?.close();
    await portal?.close();
  });

  it('is uploaded in the media library dialog, saved and published by clicking in the admin', async () => {
    const page = await admin.context.newPage();
    await signInToAdmin(page, strapiUrl);
    await page.getByRole('link', { name: 'Content Manager', exact: true }).click();
    await page.getByRole('navigation', { name: 'Content Manager' }).getByRole('link', { name: 'Collateral', exact: true }).click();
    await page.getByRole('link', { name: 'Create new entry' }).first().click();

    const form = page.getByRole('main');
    await form.getByRole('heading', { name: 'Create an entry' }).waitFor();
    await form.getByRole('textbox', { name: 'title' }).fill(ITEM.title);
    await form.getByRole('textbox', { name: 'slug' }).fill(ITEM.slug);
    await form.getByRole('combobox', { name: 'kind' }).click();
    await page.getByRole('option', { name: 'deck', exact: true }).click();
    await form.getByRole('textbox', { name: 'summary' }).fill(ITEM.summary);

    // The files field opens the media library; "Add more assets" leads to its upload step.
    // No word of the phrase on the other slides: the hit shows the first slide that matches any word.
    const deck = await pptxWithSlides(SLIDES, (n) => [`Agenda ${n}: pipeline and season review`, ...(n === 7 ? [`The ${PHRASE} seats 4,000 guests on the water.`] : [])]);
    await form.getByRole('region', { name: 'files' }).getByRole('button', { name: /^Click to add an asset/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Add new assets' });
    await dialog.getByRole('button', { name: 'Add more assets' }).click();
    await dialog.locator('input[type="file"]').setInputFiles({ name: DECK_NAME, mimeType: PPTX, buffer: deck });
    await dialog.getByRole('button', { name: 'Upload 1 asset to the library' }).click();
    // Once uploaded, the deck is the dialog's selection.
    await dialog.getByRole('tab', { name: 'Selected files 1' }).waitFor();
    await dialog.getByRole('button', { name: 'Finish' }).click();
    await dialog.waitFor({ state: 'detached' });
    await form.getByRole('region', { name: /^files/ }).getByRole('img', { name: DECK_NAME }).waitFor();

    const toasts = page.getByRole('region', { name: /^Notifications/ }).getByRole('listitem');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await toasts.filter({ hasText: 'Saved document' }).waitFor();
    await page.waitForURL((url) => !url.pathname.endsWith('/create'));
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await toasts.filter({ hasText: 'Published document' }).waitFor();
    await form.getByRole('status', { name: 'published' }).waitFor();

    // The History panel: the first version, and "Text in files" saying the worker has read the deck
    // (the panel polls while a file waits).
    const panel = page.getByRole('complementary');
    await panel.getByRole('heading', { name: /^Version 1/ }).waitFor();
    await panel.getByText(`Searchable: ${SLIDES} slides`).waitFor({ timeout: READ_TIMEOUT_MS });
    // The toasts sit over the title; they go by themselves after a few seconds.
    await toasts.first().waitFor({ state: 'detached' });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin-upload-deck.png') });
    await page.close();
  }, READ_TIMEOUT_MS * 2);

  it('is found by a phrase from slide 7 in the portal, the hit naming the slide', async () => {
    const page = await portal.context.newPage();
    await signIn(page, portalUrl);
    // Reading the deck is an outbox job and the item is re-indexed after it: the index catches up.
    await until(
      'the deck read and its item indexed',
      async () => {
        const res = await page.request.get(`${portalUrl}/api/search?q=${encodeURIComponent(PHRASE)}`);
        return res.ok() && ((await res.json()) as { results: { slug: string }[] }).results.some((r) => r.slug === ITEM.slug);
      },
      READ_TIMEOUT_MS,
    );

    await page.goto(`${portalUrl}/search?q=${encodeURIComponent(PHRASE)}`);
    const hit = page.locator(`[data-testid="search-hit"][data-slug="${ITEM.slug}"]`);
    expect(await hit.getByRole('heading').innerText()).toContain(ITEM.title);
    const passage = hit.getByTestId('hit-passage');
    expect(await passage.innerText()).toMatch(new RegExp(`^Slide 7: Agenda 7: pipeline and season review The ${PHRASE} seats`));
    expect(await passage.getByRole('link', { name: 'Slide 7' }).count()).toBe(1);
    expect(await passage.locator('mark').allInnerTexts()).toEqual(PHRASE.split(' '));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'portal-file-hit-slide7.png') });
    await page.close();
  }, READ_TIMEOUT_MS * 2);
});
