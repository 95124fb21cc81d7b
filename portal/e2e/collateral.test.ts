import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, overflowsHorizontally, serverHtml, useSession, VIEWPORTS, type Browser } from './browser';

const portalUrl = inject('portalUrl');
const strapiUrl = inject('strapiUrl');
const repToken = inject('repToken');

const SCALED_BACK = 'aurora-suite-launch-deck-2026';
const RETRACTED = 'free-migration-offer-one-pager';
const REPLACEMENT = 'migration-services-packages-and-pricing';

/** What Strapi itself says, read with the demo rep's own token. */
async function strapiAsRep(path: string): Promise<any> {
  return (await fetch(`${strapiUrl}${path}`, { headers: { authorization: `Bearer ${repToken}` } })).json();
}

describe('collateral for a signed-in rep', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
    await useSession(browser.context, portalUrl, repToken);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('lists every current item, newest first, and never the retracted one', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/`);
    const cards = page.getByTestId('collateral-card');
    const slugs = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-slug')));

    const current = await strapiAsRep('/api/collaterals?filters[standing][$ne]=retracted&fields[0]=slug&pagination[pageSize]=100');
    expect(current.meta.pagination.total).toBeGreaterThanOrEqual(19);
    expect(new Set(slugs)).toEqual(new Set(current.data.map((d: { slug: string }) => d.slug)));
    expect(slugs).not.toContain(RETRACTED);
    expect(await page.getByTestId('result-line').innerText()).toBe(`${current.meta.pagination.total} current items.`);

    const times = await page.locator('[data-testid="collateral-card"] .card-foot time').evaluateAll((els) => els.map((e) => Date.parse(e.getAttribute('datetime')!)));
    expect(times).toHaveLength(slugs.length);
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    // Every card shows its title as a link, kind, products, summary and a standing badge.
    const first = cards.first();
    expect(await first.locator('h3 a').getAttribute('href')).toMatch(/^\/collateral\/[a-z0-9-]+$/);
    expect(await first.locator('.kind').innerText()).not.toBe('');
    expect(await first.locator('.tags[aria-label="Products"] li').count()).toBeGreaterThan(0);
    expect(await first.locator('p').first().innerText()).not.toBe('');
    expect(await first.locator('.badge').innerText()).toMatch(/Confirmed|Scaled back/);
    await page.close();
  });

  it('marks scaled-back items with a badge and what is true now', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/`);
    const card = page.locator(`[data-testid="collateral-card"][data-slug="${SCALED_BACK}"]`);
    expect(await card.locator('.badge').innerText()).toContain('Scaled back');
    expect(await card.getByTestId('now-true').innerText()).toBe('Cable spots in 12 markets; two new Pulse features, not new products.');
    expect(await card.getByTestId('standing-reason').innerText()).toContain('both claims were scaled back');
    // Confirmed items carry no banner.
    expect(await page.locator('[data-testid="collateral-card"][data-standing="confirmed"] [data-testid="truth-banner"]').count()).toBe(0);
    expect(await page.getByTestId('attention').innerText()).toContain('1 item is scaled back');
    await page.close();
  });

  it('filters by standing, kind, product and words', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/?standing=scaled_back`);
    expect(await page.getByTestId('collateral-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-slug')))).toEqual([SCALED_BACK]);

    await page.goto(`${portalUrl}/`);
    await page.getByLabel('Kind').selectOption('battlecard');
    await Promise.all([page.waitForURL(/kind=battlecard/), page.getByRole('button', { name: 'Filter' }).click()]);
    const kinds = await page.locator('[data-testid="collateral-card"] .kind').allInnerTexts();
    expect(kinds.length).toBe(2);
    expect(new Set(kinds.map((k) => k.toLowerCase()))).toEqual(new Set(['battlecard']));

    await page.goto(`${portalUrl}/?q=whitepaper&product=aurora-vault`);
    expect(await page.locator('[data-testid="collateral-card"] h3').allInnerTexts()).toEqual(['Aurora Vault security whitepaper']);
    await page.goto(`${portalUrl}/?q=whitepaper&product=aurora-relay`);
    expect(await page.getByTestId('collateral-card').count()).toBe(0);

    await page.goto(`${portalUrl}/?q=no-such-thing-anywhere`);
    expect(await page.getByRole('heading', { name: 'Nothing matches these filters' }).count()).toBe(1);
    await page.close();
  });

  it('shows a scaled-back item with its banner, body, claims, relations and review-by date', async () => {
    const page = await browser.context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    const response = await page.goto(`${portalUrl}/collateral/${SCALED_BACK}`, { waitUntil: 'networkidle' });
    expect(response?.status()).toBe(200);
    // Astro's Content-Security-Policy lets the page's own styles and island scripts through.
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self' 'sha256-/);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Aurora Suite launch deck 2026');
    expect(await page.locator('.item-meta').innerText()).toMatch(/Deck[\s\S]*Scaled back/i);
    expect(await page.getByTestId('now-true').innerText()).toBe('Cable spots in 12 markets; two new Pulse features, not new products.');
    expect(await page.getByTestId('standing-reason').innerText()).toContain('national TV');

    // Markdown body rendered as HTML.
    expect(await page.getByTestId('body').locator('h2').allInnerTexts()).toEqual(['Why now', 'What is new', 'Awareness']);
    expect(await page.getByTestId('body').locator('li').count()).toBe(2);

    const claims = page.getByTestId('claims').locator('li');
    expect(await claims.count()).toBe(3);
    const tv = claims.filter({ hasText: 'National TV campaign in Q4' });
    expect(await tv.locator('.badge').innerText()).toContain('Scaled back');
    expect(await tv.innerText()).toContain('Late-night cable spots in 12 selected markets');
    expect(await claims.filter({ hasText: '99.95 % uptime SLA' }).locator('.badge').innerText()).toContain('Confirmed');

    expect(await page.locator('.tags[aria-label="Products"] li').allInnerTexts()).toEqual(['Aurora Pulse', 'Aurora Relay', 'Aurora Vault']);
    expect(await page.locator('.tags[aria-label="Regions"] li').count()).toBe(4);
    expect(await page.locator('.tags[aria-label="Personas"] li').allInnerTexts()).toEqual(['CFO', 'IT Director']);
    expect(await page.getByTestId('review-by').innerText()).toContain('15 Dec 2026');

    // The cover and the PDF come through the portal, not from Strapi directly.
    const cover = page.locator('img.cover');
    expect(await cover.getAttribute('src')).toMatch(/^\/media\//);
    expect(await cover.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const file = page.locator('.files a').first();
    const pdf = await browser.context.request.get(`${portalUrl}${await file.getAttribute('href')}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // The island: copying what is true now.
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: portalUrl });
    await page.getByRole('button', { name: 'Copy what is true now' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('Cable spots in 12 markets; two new Pulse features, not new products.');
    expect(await page.getByRole('status').filter({ hasText: 'Copied.' }).count()).toBe(1);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('answers a retracted item with 410: the reason and a link to its replacement', async () => {
    const page = await browser.context.newPage();
    const response = await page.goto(`${portalUrl}/collateral/${RETRACTED}`);
    expect(response?.status()).toBe(410);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('“Free migration offer one-pager” was retracted');
    expect(await page.getByTestId('tombstone-reason').innerText()).toBe('The free-migration offer ended on 31 October: services capacity is booked through Q2.');
    expect(await page.getByTestId('tombstone').innerText()).not.toContain('Our services team migrates your data');

    const replacement = page.getByTestId('replacement').getByRole('link');
    expect(await replacement.innerText()).toBe('Migration services: packages and pricing');
    const [next] = await Promise.all([page.waitForResponse((r) => r.url().endsWith(`/collateral/${REPLACEMENT}`)), replacement.click()]);
    expect(next.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Migration services: packages and pricing');
    await page.close();
  });

  it('answers unknown addresses with 404', async () => {
    const page = await browser.context.newPage();
    expect((await page.goto(`${portalUrl}/collateral/no-such-item`))?.status()).toBe(404);
    expect(await page.getByTestId('not-found').innerText()).toContain('This collateral does not exist');
    expect((await page.goto(`${portalUrl}/collateral/Not_A_Slug`))?.status()).toBe(404);
    expect((await page.goto(`${portalUrl}/no/such/page`))?.status()).toBe(404);
    await page.close();
  });

  it('sends no JavaScript to pages without an island', async () => {
    for (const path of ['/', `/collateral/${RETRACTED}`, '/collateral/no-such-item']) {
      const { html } = await serverHtml(browser.context, `${portalUrl}${path}`);
      expect(html, path).toContain('<main');
      expect(html, path).not.toMatch(/<script\b/);
    }
    const login = await fetch(`${portalUrl}/login`);
    expect(await login.text()).not.toMatch(/<script\b/);
    // The collateral page hydrates only its copy button.
    const { html } = await serverHtml(browser.context, `${portalUrl}/collateral/${SCALED_BACK}`);
    expect(html.match(/<astro-island\b/g)).toHaveLength(1);
  });

  it('sends no page to the browser cache of a shared machine', async () => {
    const res = await browser.context.request.get(`${portalUrl}/`);
    expect(res.headers()['cache-control']).toBe('private, no-store');
    expect(res.headers()['x-frame-options']).toBe('DENY');
  });
});

describe('at phone width (375 px)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser(VIEWPORTS.phone);
    await useSession(browser.context, portalUrl, repToken);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('nothing scrolls sideways', async () => {
    const page = await browser.context.newPage();
    for (const path of ['/', '/?kind=pricing_sheet', `/collateral/${SCALED_BACK}`, '/collateral/pricing-sheet-2026-aurora-pulse', `/collateral/${RETRACTED}`, '/collateral/no-such-item']) {
      await page.goto(`${portalUrl}${path}`);
      expect(await overflowsHorizontally(page), path).toBe(false);
    }
    // The header keeps the rep's name and sign-out on screen.
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
    await page.close();
  });
});
