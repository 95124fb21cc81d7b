import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, useSession, VIEWPORTS, type Browser } from './browser';

const portalUrl = inject('portalUrl');
const repToken = inject('repToken');

/** Serious and critical axe findings (WCAG 2.x A and AA), one line each for a readable failure. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  // A run that checked nothing (axe not injected, blank page) must not pass as "no violations".
  expect(results.passes.length).toBeGreaterThan(10);
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

describe.each(Object.entries(VIEWPORTS))('accessibility at %s width', (_name, viewport) => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchBrowser(viewport);
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('sign-in page, also while showing an error', async () => {
    await page.goto(`${portalUrl}/login`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Email').fill('rep@candor.local');
    await page.getByLabel('Password').fill('wrong');
    await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Sign in' }).click()]);
    await page.getByRole('alert').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('home, collateral page, tombstone and not-found page', async () => {
    await useSession(browser.context, portalUrl, repToken);
    for (const path of ['/', '/collateral/aurora-suite-launch-deck-2026', '/collateral/free-migration-offer-one-pager', '/collateral/no-such-item']) {
      await page.goto(`${portalUrl}${path}`);
      expect(await seriousViolations(page), path).toEqual([]);
    }
  });

  it('notices, their filters and subscriptions, also while showing field errors', async () => {
    await useSession(browser.context, portalUrl, repToken);
    for (const path of ['/notices', '/notices?filter=unread', '/notices?filter=action_required', '/notices?acknowledged=', '/subscriptions', '/subscriptions?saved=1']) {
      await page.goto(`${portalUrl}${path}`);
      expect(await seriousViolations(page), path).toEqual([]);
    }
    await page.goto(`${portalUrl}/subscriptions`);
    await page.evaluate(() => document.querySelectorAll<HTMLInputElement>('input[name="cadence"]').forEach((r) => (r.checked = false)));
    await Promise.all([page.waitForURL(/\/subscriptions$/), page.getByRole('button', { name: 'Save subscription' }).click()]);
    await page.getByTestId('form-errors').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('search: results, facets in use, the empty state, and the island after typing', async () => {
    await useSession(browser.context, portalUrl, repToken);
    for (const path of ['/search', '/search?q=tv', '/search?q=natinal&kind=deck&region=EMEA', '/search?q=quantum+blockchain+synergy']) {
      await page.goto(`${portalUrl}${path}`);
      expect(await seriousViolations(page), path).toEqual([]);
    }
    await page.goto(`${portalUrl}/search`);
    await page.locator('astro-island:not([ssr])').waitFor({ state: 'attached' });
    await page.getByRole('searchbox', { name: 'Search collateral' }).fill('launch');
    await page.waitForURL(/q=launch/);
    await page.locator('[data-testid="search-hit"] mark').first().waitFor();
    await page.locator('[data-testid="search-results"]:not([aria-busy])').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('my suggestions, and a collateral page with its history open and the suggestion form showing field errors', async () => {
    await useSession(browser.context, portalUrl, repToken);
    await page.goto(`${portalUrl}/suggestions`);
    expect(await seriousViolations(page), '/suggestions').toEqual([]);
    await page.goto(`${portalUrl}/collateral/aurora-suite-launch-deck-2026`);
    await page.locator('[data-testid="version"] summary').last().click();
    await page.getByText('Suggest an edit').click();
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Send suggestion' }).click()]);
    await page.getByTestId('form-errors').waitFor();
    expect(await seriousViolations(page), 'suggestion form with errors').toEqual([]);
    await page.goto(`${portalUrl}/collateral/free-migration-offer-one-pager/download/no_such_file.pdf`);
    expect(await seriousViolations(page), 'download of a retracted item').toEqual([]);
  });

  it('has one h1, a main landmark and a skip link on every page', async () => {
    for (const path of ['/', '/collateral/aurora-suite-launch-deck-2026', '/collateral/free-migration-offer-one-pager', '/notices', '/subscriptions', '/search?q=tv', '/suggestions']) {
      await page.goto(`${portalUrl}${path}`);
      expect(await page.locator('h1').count(), path).toBe(1);
      expect(await page.getByRole('main').count(), path).toBe(1);
      expect(await page.getByRole('link', { name: 'Skip to content' }).getAttribute('href'), path).toBe('#main');
    }
  });
});
