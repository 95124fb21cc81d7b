/**
 * Search in Chromium against the real stack: Meilisearch with the demo content indexed by the CMS, the
 * portal searching it with the rep's tenant token and checking every hit against the CMS. Plain HTML
 * first (JavaScript off), then the island (search as you type, facets, the address bar). The index
 * lagging behind a retraction is staged by writing a stale document straight into Meilisearch.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, overflowsHorizontally, serverHtml, useSession, VIEWPORTS, type Browser } from './browser';

const portalUrl = inject('portalUrl');
const strapiUrl = inject('strapiUrl');
const repToken = inject('repToken');

/** The e2e stack's Meilisearch master key (e2e/stack.ts). */
const MEILI_MASTER_KEY = 'e2e-meili-master-key-0123456789';
const SCALED_BACK = 'aurora-suite-launch-deck-2026';
const TV_EMAIL = 'email-template-follow-up-after-the-tv-campaign';
const RETRACTED = 'free-migration-offer-one-pager';
const REPLACEMENT = 'migration-services-packages-and-pricing';

const slugsOf = (page: Page) => page.getByTestId('search-hit').evaluateAll((els) => els.map((e) => e.getAttribute('data-slug')));
const currentSlugsOf = (page: Page) => page.locator('[data-testid="search-hit"][data-state="current"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-slug')));

async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found) return found;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The CMS indexes the demo content a moment after it starts: wait until a search finds it. */
async function indexReady(browser: Browser) {
  // The whole demo, not its first documents: the seed's sync rows may still be draining.
  const has = async (q: string, slug: string) => {
    const res = await browser.context.request.get(`${portalUrl}/api/search?q=${encodeURIComponent(q)}`);
    return res.ok() && ((await res.json()) as { results: { slug: string }[] }).results.some((r) => r.slug === slug);
  };
  await until('the demo content in the search index', async () => (await has('migration', REPLACEMENT)) && (await has('tv', TV_EMAIL)));
}

describe('search without JavaScript', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser(VIEWPORTS.desktop, { javaScriptEnabled: false });
    await useSession(browser.context, portalUrl, repToken);
    await indexReady(browser);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('finds the TV campaign material despite a typo, from the header box on home', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/`);
    await page.getByRole('search', { name: 'Search collateral' }).getByRole('searchbox').fill('natinal');
    await Promise.all([page.waitForURL(/\/search\?q=natinal$/), page.getByRole('search', { name: 'Search collateral' }).getByRole('button', { name: 'Search' }).click()]);

    const slugs = await slugsOf(page);
    expect(slugs).toContain(SCALED_BACK);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Search');
    expect(await page.getByTestId('result-line').innerText()).toMatch(/^\d+ results? for “natinal”\./);
    // The match is highlighted as a <mark>, and only matched words are.
    const marks = await page.locator(`[data-slug="${SCALED_BACK}"] mark`).allInnerTexts();
    expect(marks.length).toBeGreaterThan(0);
    // A typo match marks the letters typed ("Nationa" of "National").
    expect(marks.every((m) => /^nationa/i.test(m))).toBe(true);
    // The scaled-back deck says so, and what is true now.
    const deck = page.locator(`[data-testid="search-hit"][data-slug="${SCALED_BACK}"]`);
    expect(await deck.getAttribute('data-standing')).toBe('scaled_back');
    expect(await deck.locator('.badge').first().innerText()).toContain('Scaled back');
    expect(await deck.getByTestId('now-true').innerText()).toBe('Cable spots in 12 markets; two new Pulse features, not new products.');
    await page.close();
  });

  it('filters with facet checkboxes and counts, in a shareable address', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/search?q=tv`);
    const all = await slugsOf(page);
    expect(all).toEqual(expect.arrayContaining([SCALED_BACK, TV_EMAIL]));

    const emailTemplates = page.locator('fieldset[data-facet="kind"] label').filter({ hasText: 'Email template' });
    expect(await emailTemplates.locator('.facet-count').innerText()).toMatch(/^1\s*result$/);
    await emailTemplates.getByRole('checkbox').check();
    await Promise.all([page.waitForURL(/kind=email_template/), page.getByRole('button', { name: 'Apply filters' }).click()]);
    expect(new URL(page.url()).search).toBe('?q=tv&kind=email_template');
    expect(await slugsOf(page)).toEqual([TV_EMAIL]);
    expect(await page.getByTestId('result-line').innerText()).toBe('1 result for “tv” with your filters.');
    // The other kinds still show what picking them would add.
    expect(await page.locator('fieldset[data-facet="kind"] label').filter({ hasText: 'Deck' }).locator('.facet-count').innerText()).toMatch(/^[1-9]/);

    // The same address opened fresh gives the same answer; facets narrow each other.
    await page.goto(`${portalUrl}/search?q=tv&kind=deck&product=${encodeURIComponent('Aurora Vault')}`);
    expect(await slugsOf(page)).toEqual([SCALED_BACK]);
    await page.goto(`${portalUrl}/search?q=tv&standing=confirmed`);
    expect(await slugsOf(page)).not.toContain(SCALED_BACK);
    expect(await page.locator('[data-testid="search-hit"][data-standing="scaled_back"]').count()).toBe(0);
    await page.close();
  });

  it('never shows the retracted demo item as current; its replacement is found', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/search?q=${encodeURIComponent('free migration offer')}`);
    expect(await currentSlugsOf(page)).not.toContain(RETRACTED);
    expect(await currentSlugsOf(page)).toContain(REPLACEMENT);
    const api = (await (await browser.context.request.get(`${portalUrl}/api/search?q=migration`)).json()) as { results: { slug: string; state: string }[] };
    expect(api.results.filter((r) => r.state === 'current').map((r) => r.slug)).not.toContain(RETRACTED);
    await page.close();
  });

  it('says when nothing was found, and that the search was noted for marketing', async () => {
    const page = await browser.context.newPage();
    const response = await page.goto(`${portalUrl}/search?q=${encodeURIComponent('quantum blockchain synergy')}`);
    expect(response?.status()).toBe(200);
    expect(await page.getByTestId('search-hit').count()).toBe(0);
    expect(await page.getByTestId('search-empty').getByRole('heading').innerText()).toBe('Nothing found for “quantum blockchain synergy”');
    expect(await page.getByTestId('search-logged').innerText()).toContain('noted this search for marketing');
    await page.close();

    // Marketing sees it among the content requests (zero-result searches) in the admin API.
    const admin = inject('adminToken');
    const request = await until('the content request', async () => {
      const res = await fetch(`${strapiUrl}/change-notices/search/content-requests?days=1`, { headers: { authorization: `Bearer ${admin}` } });
      const rows = ((await res.json()) as { data: { query: string; count: number }[] }).data;
      return rows.find((r) => r.query === 'quantum blockchain synergy');
    });
    expect(request.count).toBeGreaterThanOrEqual(1);
  });

  it('pages, lists everything when asked for nothing, and ignores a malformed address', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/search`);
    expect(await page.getByTestId('result-line').innerText()).toMatch(/^\d+ current items\./);
    expect(await currentSlugsOf(page)).not.toContain(RETRACTED);
    // Twenty results a page: the demo fits on one, so page 2 is past the end and says so.
    await page.goto(`${portalUrl}/search?page=2`);
    expect(await page.getByRole('heading', { name: 'This page is past the end of the results' }).count()).toBe(1);
    await Promise.all([page.waitForURL(/\/search$/), page.getByRole('link', { name: 'Go to the first page' }).click()]);
    expect(await page.getByTestId('search-hit').count()).toBeGreaterThan(0);
    const response = await page.goto(`${portalUrl}/search?q=deck&kind=brochure&page=x&standing=retracted`);
    expect(response?.status()).toBe(200);
    expect(await page.getByTestId('search-hit').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('search-empty').count()).toBe(0);
    await page.close();
  });

  it('keeps the API and the page behind sign-in, and no Meilisearch key reaches the browser', async () => {
    const anonymous = await fetch(`${portalUrl}/api/search?q=tv`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/login\?next=/);
    const api = await browser.context.request.get(`${portalUrl}/api/search?q=tv`);
    expect(api.headers()['cache-control']).toBe('private, no-store');
    const { html } = await serverHtml(browser.context, `${portalUrl}/search?q=tv`);
    const body = (await api.text()) + html;
    expect(body).not.toMatch(/eyJ[\w-]+\.eyJ/); // no JWT (tenant token or session)
    expect(body).not.toContain(MEILI_MASTER_KEY);
    expect(body).not.toMatch(/:7700|meili/i);
  });
});

describe('search with JavaScript (the island)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
    await useSession(browser.context, portalUrl, repToken);
    await indexReady(browser);
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function hydrated(page: Page) {
    await page.locator('astro-island:not([ssr])').waitFor({ state: 'attached' });
  }

  it('updates results and the address as the rep types, without reloading the page', async () => {
    const page = await browser.context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    const response = await page.goto(`${portalUrl}/search`);
    // Astro's CSP lets the island's own scripts through.
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self' 'sha256-/);
    await hydrated(page);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

    await page.getByRole('searchbox', { name: 'Search collateral' }).pressSequentially('natinal', { delay: 60 });
    await until('the address to follow the typing', async () => new URL(page.url()).search === '?q=natinal');
    // The address follows at once; the results follow when the island's request answers (before that
    // the page still lists every current item, the deck included).
    await until('results for the typo', async () => /for “natinal”/.test(await page.getByTestId('result-line').innerText()));
    expect(await slugsOf(page)).toContain(SCALED_BACK);
    expect(await page.locator(`[data-slug="${SCALED_BACK}"] mark`).count()).toBeGreaterThan(0);
    expect(await page.locator(`[data-slug="${SCALED_BACK}"] [data-testid="now-true"]`).innerText()).toContain('Cable spots in 12 markets');
    // Same document: the island fetched results, the page never reloaded.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);

    // A facet applies at once and lands in the address.
    await page.locator('fieldset[data-facet="kind"] label').filter({ hasText: 'Email template' }).getByRole('checkbox').check();
    await until('the facet in the address', async () => new URL(page.url()).searchParams.get('kind') === 'email_template');
    await until('the filtered results', async () => JSON.stringify(await slugsOf(page)) === JSON.stringify([TV_EMAIL]));
    expect(new URL(page.url()).search).toBe('?q=natinal&kind=email_template');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);

    // The address is shareable: opened fresh, the server renders the same results.
    const { html } = await serverHtml(browser.context, page.url());
    expect(html).toContain(`data-slug="${TV_EMAIL}"`);
    expect(html).not.toContain(`data-slug="${SCALED_BACK}"`);

    // Clearing the words empties nothing out: the filter still applies.
    await page.getByRole('searchbox', { name: 'Search collateral' }).fill('');
    await until('the address without words', async () => new URL(page.url()).search === '?kind=email_template');
    await until('all email templates', async () => (await slugsOf(page)).length === 2);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('shows the empty state as the rep types something nobody wrote', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/search?q=tv`);
    await hydrated(page);
    await page.getByRole('searchbox', { name: 'Search collateral' }).fill('zzyzx quokka');
    await until('the empty state', async () => (await page.getByTestId('search-empty').count()) === 1);
    expect(await page.getByTestId('search-hit').count()).toBe(0);
    // Once the rep stops typing the search is logged, and the page says so.
    await until('the logged note', async () => (await page.getByTestId('search-logged').count()) === 1, 10_000);
    await page.close();
  });
});

describe('when the index lags behind a retraction', () => {
  // A stale copy of the retracted demo item, as it would sit in the index while sync is paused.
  let meili: { url: string; index: string } | undefined;
  let retractedId: string | undefined;
  let browser: Browser;

  const meiliFetch = async (path: string, init: { method?: string; json?: unknown } = {}) => {
    const res = await fetch(`${meili!.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${MEILI_MASTER_KEY}`, 'content-type': 'application/json' },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
    return (await res.json()) as any;
  };
  const waitTask = async (task: { taskUid: number }) =>
    until(`Meilisearch task ${task.taskUid}`, async () => {
      const t = await meiliFetch(`/tasks/${task.taskUid}`);
      if (t.status === 'failed') throw new Error(`Meilisearch task failed: ${JSON.stringify(t.error)}`);
      return t.status === 'succeeded';
    });

  beforeAll(async () => {
    browser = await launchBrowser();
    await useSession(browser.context, portalUrl, repToken);
    await indexReady(browser);
    const token = (await (await fetch(`${strapiUrl}/api/change-notices/search/token`, { headers: { authorization: `Bearer ${repToken}` } })).json()) as any;
    meili = { url: token.data.url.replace(/\/+$/, ''), index: token.data.indexName };
    const gone = (await (await fetch(`${strapiUrl}/api/collaterals/by-slug/${RETRACTED}`, { headers: { authorization: `Bearer ${repToken}` } })).json()) as any;
    retractedId = gone.error.details.tombstone.documentId;
    // Copy a real indexed document and dress it up as the retracted item, still "confirmed".
    const found = await meiliFetch(`/indexes/${meili.index}/search`, { method: 'POST', json: { q: 'migration services packages', limit: 1 } });
    const template = found.hits[0];
    expect(template).toBeTruthy();
    const stale = { ...template, id: retractedId, slug: RETRACTED, title: 'Free migration offer one-pager', summary: 'Free data migration for every new customer (stale index copy).', standing: 'confirmed', nowTrue: null, standingReason: null };
    await waitTask(await meiliFetch(`/indexes/${meili.index}/documents`, { method: 'POST', json: [stale] }));
  });
  afterAll(async () => {
    if (meili && retractedId) await waitTask(await meiliFetch(`/indexes/${meili.index}/documents/${retractedId}`, { method: 'DELETE' })).catch(() => undefined);
    await browser?.close();
  });

  it('the stale hit is never shown as current: it says retracted and points to the replacement', async () => {
    // The index really does hand it out as a current, confirmed item...
    const raw = await meiliFetch(`/indexes/${meili!.index}/search`, { method: 'POST', json: { q: 'free migration offer', filter: 'standing != retracted' } });
    expect(raw.hits.map((h: { id: string }) => h.id)).toContain(retractedId);

    // ...and the portal, with the CMS's truth overlay, does not.
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/search?q=${encodeURIComponent('free migration offer')}`);
    expect(await currentSlugsOf(page)).not.toContain(RETRACTED);
    const hit = page.locator(`[data-testid="search-hit"][data-slug="${RETRACTED}"]`);
    expect(await hit.getAttribute('data-state')).toBe('retracted');
    expect(await hit.locator('.badge').first().innerText()).toContain('Retracted');
    expect(await hit.getByTestId('hit-retracted').innerText()).toContain('Retracted: do not use or send this.');
    expect(await hit.getByRole('link', { name: 'Migration services: packages and pricing' }).getAttribute('href')).toBe(`/collateral/${REPLACEMENT}`);
    // The stale text from the index is not shown.
    expect(await hit.innerText()).not.toContain('stale index copy');

    // Filtering by a current standing leaves it out entirely; the island's API says the same.
    await page.goto(`${portalUrl}/search?q=${encodeURIComponent('free migration offer')}&standing=confirmed`);
    expect(await slugsOf(page)).not.toContain(RETRACTED);
    const api = (await (await browser.context.request.get(`${portalUrl}/api/search?q=free+migration+offer`)).json()) as { results: { slug: string; state: string }[] };
    expect(api.results.find((r) => r.slug === RETRACTED)?.state).toBe('retracted');
    await page.close();
  });
});

describe('search at phone width (375 px)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser(VIEWPORTS.phone);
    await useSession(browser.context, portalUrl, repToken);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('nothing scrolls sideways; filters fold away', async () => {
    const page = await browser.context.newPage();
    for (const path of ['/search', '/search?q=natinal', '/search?q=tv&kind=deck&region=EMEA', '/search?q=quantum+blockchain']) {
      await page.goto(`${portalUrl}${path}`);
      expect(await overflowsHorizontally(page), path).toBe(false);
    }
    await page.goto(`${portalUrl}/search?q=tv`);
    expect(await page.locator('fieldset[data-facet="kind"]').isVisible()).toBe(false);
    await page.getByText('Filters', { exact: true }).click();
    expect(await page.locator('fieldset[data-facet="kind"]').isVisible()).toBe(true);
    await page.close();
  });
});
