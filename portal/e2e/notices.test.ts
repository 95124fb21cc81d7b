/**
 * Notices, the home overview and subscriptions, in Chromium against the real stack. A marketer scales
 * an item back over Strapi's REST API (as automation would); the outbox turns that into an
 * action-required notice in the demo rep's inbox, which the portal shows and lets them acknowledge.
 * The item is reconfirmed and the rep's subscription reset afterwards, so other files see the demo
 * content as seeded.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { strapiApi } from './strapi';
import { launchBrowser, overflowsHorizontally, serverHtml, useSession, VIEWPORTS, type Browser } from './browser';

const portalUrl = inject('portalUrl');
const strapiUrl = inject('strapiUrl');
const repToken = inject('repToken');

const TARGET_SLUG = 'relay-connector-catalogue';
const REASON = 'E2E: the connector count was overstated in the launch material.';
const NOW_TRUE = 'E2E: 38 connectors are generally available; 12 are in beta.';

interface InboxNotice {
  id: number;
  urgency: string;
  headline: string;
  readAt: string | null;
  acknowledgedAt: string | null;
}

const { request: strapi, signIn: marketerToken } = strapiApi(strapiUrl);

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const found = await check();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

const inbox = async (filter = 'all'): Promise<InboxNotice[]> => (await strapi(`/api/change-notices/inbox?filter=${filter}&pageSize=100`, repToken)).body.data;
const counts = async (): Promise<{ unread: number; actionRequired: number }> => (await strapi('/api/change-notices/inbox/count', repToken)).body.data;
const noticeCard = (page: Page, id: number) => page.locator(`[data-testid="notice"][data-notice-id="${id}"]`);

describe('notices for a signed-in rep', () => {
  let browser: Browser;
  let marketer: string;
  let target: { documentId: string; title: string };
  let notice: InboxNotice;

  beforeAll(async () => {
    browser = await launchBrowser();
    await useSession(browser.context, portalUrl, repToken);
    marketer = await marketerToken();
    const found = await strapi(`/api/collaterals?filters[slug][$eq]=${TARGET_SLUG}&fields[0]=title&fields[1]=standing`, repToken);
    target = found.body.data[0];
    expect(found.body.data[0].standing).toBe('confirmed');
    const changed = await strapi(`/api/change-notices/standing/collateral/${target.documentId}`, marketer, {
      method: 'POST',
      json: { standing: 'scaled_back', reason: REASON, nowTrue: NOW_TRUE },
    });
    expect(changed.status).toBe(200);
    // The outbox delivers notices asynchronously: wait until the rep has it.
    notice = await waitFor('the scaled-back notice in the rep inbox', async () => (await inbox()).find((n) => n.headline === `Scaled back: ${target.title}`));
  });

  afterAll(async () => {
    if (marketer && target) {
      await strapi(`/api/change-notices/standing/collateral/${target.documentId}`, marketer, { method: 'POST', json: { standing: 'confirmed', reason: 'E2E: reconfirmed after the notices test.' } });
    }
    await strapi('/api/change-notices/subscription', repToken, { method: 'PUT', json: { data: { products: [], regions: [], kinds: [], channels: ['inbox', 'email'], cadence: 'instant' } } });
    await browser?.close();
  });

  it('opens home with open action-required notices, then what changed this week, then what is new, then the list', async () => {
    expect(notice.urgency).toBe('action_required');
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/`);
    const order = await page.evaluate(() =>
      [...document.querySelectorAll('main [data-testid="open-notices"], main [data-testid="changed-this-week"], main [data-testid="new-this-week"], main [data-testid="collateral-card"]')].map((e) => e.getAttribute('data-testid'))
    );
    expect([...new Set(order)]).toEqual(['open-notices', 'changed-this-week', 'new-this-week', 'collateral-card']);

    const card = page.getByTestId('open-notices').locator(`[data-notice-id="${notice.id}"]`);
    expect(await card.getByRole('heading', { level: 3 }).innerText()).toBe(`Scaled back: ${target.title}`);
    // Home keeps notices short: why and what to do; the inbox has what changed field by field.
    expect(await card.getByTestId('notice-what-changed').count()).toBe(0);
    expect(await card.getByTestId('notice-why').innerText()).toBe(REASON);
    expect(await card.getByTestId('notice-what-to-do').innerText()).toContain(NOW_TRUE);
    expect(await card.getByRole('link', { name: 'Open the material' }).getAttribute('href')).toBe(`/collateral/${TARGET_SLUG}`);
    expect(await card.getByRole('button', { name: 'Acknowledge' }).count()).toBe(1);

    // First published within the week, so the API lists it as new (with its standing), not as changed.
    const recent = page.locator('[data-testid="new-this-week"], [data-testid="changed-this-week"]').locator(`[data-slug="${TARGET_SLUG}"]`);
    expect(await recent.innerText()).toContain('Scaled back');
    expect(await recent.innerText()).toContain(NOW_TRUE);

    // The header badge counts what still needs acknowledging, and says so in words.
    const open = (await counts()).actionRequired;
    expect(open).toBeGreaterThan(0);
    const nav = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: `Notices (${open} need your action)` });
    expect(await nav.count()).toBe(1);
    // Home does not count as reading the inbox.
    expect((await inbox()).find((n) => n.id === notice.id)!.readAt).toBeNull();
    await page.close();
  });

  it('lists notices with Unread and Action required filters as shareable GET links that work without JavaScript', async () => {
    const noJs = await launchBrowser(undefined, { javaScriptEnabled: false });
    try {
      await useSession(noJs.context, portalUrl, repToken);
      const page = await noJs.context.newPage();
      await page.goto(`${portalUrl}/notices`);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Notices');
      const tabs = page.getByRole('navigation', { name: 'Show notices' });

      await Promise.all([page.waitForURL(/filter=unread/), tabs.getByRole('link', { name: /^Unread/ }).click()]);
      expect(new URL(page.url()).search).toBe('?filter=unread');
      // Opening the inbox marks what it shows as read; the first visit already happened above.
      expect(await tabs.getByRole('link', { name: /^Unread/ }).getAttribute('aria-current')).toBe('page');

      await Promise.all([page.waitForURL(/filter=action_required/), tabs.getByRole('link', { name: /^Action required/ }).click()]);
      const shown = page.getByTestId('notice');
      expect(await shown.count()).toBeGreaterThan(0);
      expect(new Set(await shown.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-urgency')}/${e.getAttribute('data-acknowledged')}`)))).toEqual(new Set(['action_required/false']));
      const card = noticeCard(page, notice.id);
      expect(await card.getByRole('heading', { level: 2 }).innerText()).toBe(`Scaled back: ${target.title}`);
      expect(await card.getByTestId('notice-what-changed').innerText()).toContain('Standing: Confirmed → Scaled back');
      expect(await card.getByTestId('notice-why').innerText()).toBe(REASON);
      expect(await card.getByTestId('notice-what-to-do').innerText()).toContain(NOW_TRUE);
      expect(await card.getByRole('link', { name: 'Open the material' }).getAttribute('href')).toBe(`/collateral/${TARGET_SLUG}`);
      // The demo's claim notices name the material that makes the claim, linked.
      const affected = page.locator('[data-testid="notice"]', { hasText: 'Claim scaled back' }).getByTestId('notice-affected').getByRole('link');
      expect(await affected.count()).toBeGreaterThan(0);
      for (const href of await affected.evaluateAll((els) => els.map((e) => e.getAttribute('href')))) expect(href).toMatch(/^\/collateral\/[a-z0-9-]+$/);
      const open = (await counts()).actionRequired;
      expect(await page.getByTestId('notice-count-line').innerText()).toBe(`${open} ${open === 1 ? 'notice' : 'notices'} waiting for your acknowledgement.`);
    } finally {
      await noJs.close();
    }
    // Seen in the inbox: read now, as the API intends.
    expect((await inbox()).find((n) => n.id === notice.id)!.readAt).not.toBeNull();
    expect((await inbox('unread')).some((n) => n.id === notice.id)).toBe(false);
  });

  it('shows unread notices as new once, then no longer under Unread', async () => {
    // A fresh notice: reconfirming the item is informational (not action required).
    const before = await counts();
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/notices?filter=unread`);
    const unreadShown = await page.getByTestId('notice').count();
    expect(unreadShown).toBe(Math.min(before.unread, 20));
    if (unreadShown > 0) expect(await page.locator('[data-testid="notice"] .badge.new').count()).toBe(unreadShown);
    await page.goto(`${portalUrl}/notices?filter=unread`);
    expect(await page.getByTestId('notice').count()).toBe(Math.min(Math.max(before.unread - 20, 0), 20));
    if (before.unread <= 20) expect(await page.getByTestId('notices-empty').innerText()).toContain('Nothing unread');
    await page.close();
  });

  it('acknowledges with a plain form post, says so, and the count drops', async () => {
    const before = (await counts()).actionRequired;
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/?kind=battlecard`);
    const card = page.getByTestId('open-notices').locator(`[data-notice-id="${notice.id}"]`);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/notices/${notice.id}/acknowledge`),
      card.getByRole('button', { name: 'Acknowledge' }).click(),
    ]);
    expect(response.status()).toBe(303);
    await page.waitForLoadState();
    const url = new URL(page.url());
    expect(url.pathname).toBe('/');
    // Back on the page it came from, filters kept, with the outcome.
    expect(url.searchParams.get('kind')).toBe('battlecard');
    expect(url.searchParams.get('acknowledged')).toBe(String(notice.id));
    expect(await page.getByTestId('ack-outcome').innerText()).toContain('Acknowledged');
    expect(await page.getByTestId('open-notices').locator(`[data-notice-id="${notice.id}"]`).count()).toBe(0);

    const after = (await counts()).actionRequired;
    expect(after).toBe(before - 1);
    const nav = page.getByTestId('nav-notices');
    if (after > 0) expect(await nav.getAttribute('aria-current')).toBeNull();
    expect(await page.getByTestId('nav-notice-count').count()).toBe(after > 0 ? 1 : 0);
    if (after > 0) expect(await page.getByTestId('nav-notice-count').innerText()).toBe(String(after));
    if (after > 0) expect(await page.getByRole('link', { name: `Notices (${after} need your action)` }).count()).toBe(1);

    // The inbox shows when it was acknowledged, and no button any more.
    await page.goto(`${portalUrl}/notices`);
    const acknowledged = noticeCard(page, notice.id);
    expect(await acknowledged.getByTestId('acknowledged').innerText()).toMatch(/^✓ Acknowledged \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC$/);
    expect(await acknowledged.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    expect((await inbox()).find((n) => n.id === notice.id)!.acknowledgedAt).not.toBeNull();
    await page.close();
  });

  it('refuses an acknowledgement posted from another site', async () => {
    const res = await fetch(`${portalUrl}/notices/${notice.id}/acknowledge`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', cookie: `candor_session=${repToken}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ back: '/' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
  });

  it('says so when a notice is not the rep’s', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/notices`);
    // A form aimed at a notice number nobody has, as a stale page or a crafted one would send.
    await page.evaluate(() => {
      const form = document.querySelector<HTMLFormElement>('form[action^="/notices/"]') ?? document.createElement('form');
      form.method = 'post';
      form.action = '/notices/999999/acknowledge';
      form.innerHTML = '<input type="hidden" name="back" value="/notices?filter=unread">';
      document.body.append(form);
      form.submit();
    });
    await page.waitForURL(/acknowledged=/);
    expect(new URL(page.url()).search).toBe('?filter=unread&acknowledged=');
    expect(await page.getByRole('alert').innerText()).toContain('not in your inbox');
    await page.close();
  });

  it('saves a subscription from checkboxes and shows "Saved"', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/subscriptions`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Subscriptions');
    const products = (await strapi('/api/products?fields[0]=name&pagination[pageSize]=100', repToken)).body.data as { name: string }[];
    const regions = (await strapi('/api/regions?fields[0]=name&pagination[pageSize]=100', repToken)).body.data as { name: string }[];
    expect(await page.getByRole('group', { name: 'Products' }).getByRole('checkbox').count()).toBe(products.length);
    expect(await page.getByRole('group', { name: 'Regions' }).getByRole('checkbox').count()).toBe(regions.length);
    // The inbox cannot be switched off.
    expect(await page.getByRole('checkbox', { name: 'Candor inbox' }).isDisabled()).toBe(true);

    await page.getByRole('group', { name: 'Products' }).getByRole('checkbox', { name: 'Aurora Vault' }).check();
    await page.getByRole('group', { name: 'Regions' }).getByRole('checkbox', { name: 'EMEA' }).check();
    await page.getByRole('group', { name: 'Kinds of material' }).getByRole('checkbox', { name: 'Battlecard' }).check();
    await page.getByRole('group', { name: 'Where notices reach you' }).getByRole('checkbox', { name: 'Email' }).uncheck();
    await page.getByRole('radio', { name: 'Weekly digest' }).check();
    await Promise.all([page.waitForURL(/saved=1/), page.getByRole('button', { name: 'Save subscription' }).click()]);
    expect(await page.getByRole('status').innerText()).toContain('Saved.');
    expect(await page.getByRole('status').innerText()).toContain('Aurora Vault; EMEA; Battlecard.');
    expect(await page.getByRole('checkbox', { name: 'Aurora Vault' }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: 'Weekly digest' }).isChecked()).toBe(true);

    const saved = (await strapi('/api/change-notices/subscription', repToken)).body.data;
    expect(saved).toEqual({ products: ['aurora-vault'], regions: ['emea'], kinds: ['battlecard'], channels: ['inbox'], cadence: 'weekly' });
    await page.close();
  });

  it('shows field errors a person understands for bad input, and saves nothing', async () => {
    const before = (await strapi('/api/change-notices/subscription', repToken)).body.data;
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/subscriptions`);
    // What a stale or tampered form could send: a product that does not exist, no cadence, no inbox.
    await page.evaluate(() => {
      const box = document.querySelector<HTMLInputElement>('input[name="products"]')!;
      box.value = 'aurora-toaster';
      box.checked = true;
      document.querySelectorAll<HTMLInputElement>('input[name="cadence"]').forEach((r) => (r.checked = false));
      document.querySelector('input[type="hidden"][name="channels"]')!.remove();
    });
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/subscriptions'),
      page.getByRole('button', { name: 'Save subscription' }).click(),
    ]);
    expect(response.status()).toBe(400);
    await page.waitForLoadState();
    const summary = page.getByTestId('form-errors');
    expect(await summary.innerText()).toContain('3 things need fixing');
    expect(await page.locator('#products-error').innerText()).toBe('“aurora-toaster” is not a product we know. Choose from the list.');
    expect(await page.locator('#cadence-error').innerText()).toBe('Choose how often to get informational emails: as it happens, daily or weekly.');
    expect(await page.locator('#channels-error').innerText()).toBe('The Candor inbox cannot be turned off: keep it ticked.');
    // Each message is tied to its group for screen readers, and the summary links to it.
    expect(await page.getByRole('group', { name: 'Products' }).getAttribute('aria-describedby')).toBe('products-hint products-error');
    expect(await summary.getByRole('link', { name: 'How often to email informational notices' }).getAttribute('href')).toBe('#cadence');
    expect((await strapi('/api/change-notices/subscription', repToken)).body.data).toEqual(before);
    await page.close();
  });

  it('sends no JavaScript to the notices and subscription pages', async () => {
    for (const path of ['/notices', '/notices?filter=action_required', '/subscriptions']) {
      const { status, html } = await serverHtml(browser.context, `${portalUrl}${path}`);
      expect(status, path).toBe(200);
      expect(html, path).not.toMatch(/<script\b/);
    }
  });
});

describe('notices at phone width (375 px)', () => {
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
    for (const path of ['/', '/notices', '/notices?filter=action_required', '/subscriptions']) {
      await page.goto(`${portalUrl}${path}`);
      expect(await overflowsHorizontally(page), path).toBe(false);
    }
    expect(await page.getByRole('link', { name: 'Subscriptions' }).isVisible()).toBe(true);
    await page.close();
  });
});
