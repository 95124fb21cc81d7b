/**
 * "Suggest an edit", "My suggestions", version history and downloads, in Chromium against the real
 * stack. The form is used with JavaScript off (a plain HTML form post to the Astro Action). A marketer
 * ships the fix over Strapi's REST API (a new published version, then the feedback resolved), as
 * automation or the admin would; the rep then sees it resolved with the version that fixed it. The
 * item's summary is put back afterwards, so other files see the demo content as seeded.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { strapiApi } from './strapi';
import { launchBrowser, overflowsHorizontally, serverHtml, useSession, VIEWPORTS, type Browser } from './browser';

const portalUrl = inject('portalUrl');
const strapiUrl = inject('strapiUrl');
const repToken = inject('repToken');

const SLUG = 'pricing-sheet-2026-aurora-pulse';
const RETRACTED = 'free-migration-offer-one-pager';
const SUGGESTION = 'E2E: the Team tier went up to $59 on 1 November; the sheet still says $49.';

const { request: strapi, signIn: marketerToken } = strapiApi(strapiUrl);

const mine = async (): Promise<any[]> => (await strapi('/api/feedbacks/mine', repToken)).body.data;

describe('suggest an edit, my suggestions, history and downloads', () => {
  let browser: Browser;
  let item: { documentId: string; title: string; summary: string; files: { name: string; url: string }[] };
  let marketer: string;
  let feedbackId: string;

  beforeAll(async () => {
    // JavaScript off: everything here must work as plain HTML.
    browser = await launchBrowser(VIEWPORTS.desktop, { javaScriptEnabled: false });
    await useSession(browser.context, portalUrl, repToken);
    item = (await strapi(`/api/collaterals/by-slug/${SLUG}`, repToken)).body.data;
    marketer = await marketerToken();
  });
  afterAll(async () => {
    if (item && marketer) await strapi(`/api/collaterals/${item.documentId}?status=published`, marketer, { method: 'PUT', json: { data: { summary: item.summary } } });
    await browser?.close();
  });

  it('shows the history, the files with type and size through the portal, and the form closed', async () => {
    const page = await browser.context.newPage();
    const response = await page.goto(`${portalUrl}/collateral/${SLUG}`);
    expect(response?.status()).toBe(200);
    expect(await page.getByTestId('history').getByRole('heading', { level: 2 }).innerText()).toBe('Version history');
    expect(await page.getByTestId('version').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('version').first().locator('summary').innerText()).toMatch(/Version \d+[\s\S]*Current/);

    const link = page.getByTestId('file-download').first();
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^/collateral/${SLUG}/download/[A-Za-z0-9._-]+\\.pdf$`));
    expect(await link.innerText()).toMatch(/PDF · \d+ KB/);
    // The form is there but closed until the rep opens it.
    expect(await page.getByTestId('suggest').locator('details').getAttribute('open')).toBeNull();
    await page.close();
  });

  it('refuses a broken suggestion with a message beside each field, keeps the input and saves nothing', async () => {
    const before = (await mine()).length;
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/collateral/${SLUG}`);
    await page.getByText('Suggest an edit').click();
    await page.getByLabel('The passage it is about').fill('Team | up to 25 | <b>$49</b>');
    await page.getByLabel('Your suggestion').fill('Too short');
    await page.getByRole('radio', { name: 'High' }).check();
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Send suggestion' }).click()]);
    expect(response.status()).toBe(400);
    await page.waitForLoadState();

    const form = page.getByTestId('suggest');
    expect(await form.locator('details').getAttribute('open')).not.toBeNull();
    expect(await page.getByTestId('form-errors').innerText()).toContain('2 things need fixing');
    expect(await page.locator('#fb-kind-error').innerText()).toBe('Choose what kind of change this is.');
    expect(await page.locator('#fb-suggestion-error').innerText()).toBe('Say what should change in at least 10 characters.');
    const suggestion = page.getByLabel('Your suggestion');
    expect(await suggestion.getAttribute('aria-invalid')).toBe('true');
    expect(await suggestion.getAttribute('aria-describedby')).toContain('fb-suggestion-error');
    // What the rep typed is still there, as text.
    expect(await suggestion.inputValue()).toBe('Too short');
    expect(await page.getByLabel('The passage it is about').inputValue()).toBe('Team | up to 25 | <b>$49</b>');
    expect(await page.getByRole('radio', { name: 'High' }).isChecked()).toBe(true);
    expect(await page.locator('#fb-passage-error').count()).toBe(0);

    expect((await mine()).length).toBe(before);
    await page.close();
  });

  it('files a valid suggestion as the rep, confirms it, and lists it on My suggestions', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/collateral/${SLUG}`);
    await page.getByText('Suggest an edit').click();
    await page.getByRole('radio', { name: 'Outdated' }).check();
    await page.getByLabel('The passage it is about').fill('Team | up to 25 | $49');
    await page.getByLabel('Your suggestion').fill(SUGGESTION);
    await page.getByLabel('Customer context').fill('Northwind asked why the quote differs from the sheet.');
    await Promise.all([page.waitForURL(/suggested=1/), page.getByRole('button', { name: 'Send suggestion' }).click()]);

    const sent = page.getByTestId('suggestion-sent');
    expect(await sent.innerText()).toContain('your suggestion was sent');
    const saved = (await mine()).find((s) => s.suggestion === SUGGESTION);
    expect(saved).toMatchObject({ kind: 'outdated', state: 'new', urgency: 'normal', passage: 'Team | up to 25 | $49', collateral: { slug: SLUG } });
    feedbackId = saved.documentId;
    // Reloading the confirmation does not send it again.
    await page.reload();
    expect((await mine()).filter((s) => s.suggestion === SUGGESTION)).toHaveLength(1);

    await Promise.all([page.waitForURL(/\/suggestions$/), sent.getByRole('link', { name: 'My suggestions' }).click()]);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('My suggestions');
    expect(await page.getByRole('link', { name: 'My suggestions' }).first().getAttribute('aria-current')).toBe('page');
    const entry = page.locator(`[data-testid="suggestion"][data-id="${feedbackId}"]`);
    expect(await entry.getByTestId('suggestion-state').innerText()).toContain('New');
    expect(await entry.getByTestId('suggestion-text').innerText()).toBe(SUGGESTION);
    expect(await entry.getByRole('link', { name: item.title }).getAttribute('href')).toBe(`/collateral/${SLUG}`);
    await page.close();
  });

  it('shows it resolved with the version that fixed it once marketing ships the fix, and the fix as a diff', async () => {
    expect(feedbackId).toBeTruthy();
    const fixed = 'List prices (Team tier $59 from 1 November), volume tiers and the discount guardrails for Pulse in 2026.';
    const put = await strapi(`/api/collaterals/${item.documentId}?status=published`, marketer, { method: 'PUT', json: { data: { summary: fixed } } });
    expect(put.status).toBe(200);
    const versions = (await strapi(`/api/change-notices/versions/collateral/${item.documentId}`, repToken)).body.data;
    const fixVersion = versions[0].number as number;
    expect(fixVersion).toBeGreaterThan(1);

    // Declining or shipping needs a note; shipping records the latest version.
    const resolved = await strapi(`/api/feedbacks/${feedbackId}`, marketer, { method: 'PUT', json: { data: { state: 'shipped', resolutionNote: 'E2E: Team tier corrected to $59.' } } });
    expect(resolved.status).toBe(200);

    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/suggestions`);
    const entry = page.locator(`[data-testid="suggestion"][data-id="${feedbackId}"]`);
    expect(await entry.getAttribute('data-state')).toBe('shipped');
    expect(await entry.getByTestId('suggestion-state').innerText()).toContain('Resolved');
    expect(await entry.getByTestId('resolution-note').innerText()).toBe('E2E: Team tier corrected to $59.');
    const fixedIn = entry.getByTestId('fixed-in').getByRole('link');
    expect(await fixedIn.innerText()).toBe(`Version ${fixVersion} of “${item.title}”`);
    expect(await fixedIn.getAttribute('href')).toBe(`/collateral/${SLUG}#history`);

    // The history shows the fix word by word, as <ins>/<del> with the meaning spelled out.
    await fixedIn.click();
    await page.waitForURL(new RegExp(`/collateral/${SLUG}#history$`));
    const latest = page.locator(`[data-testid="version"][data-number="${fixVersion}"]`);
    expect(await latest.locator('details').getAttribute('open')).not.toBeNull();
    const diff = latest.locator('.change[data-field="summary"] [data-testid="diff"]');
    expect((await diff.locator('ins').allInnerTexts()).join(' ')).toContain('$59');
    // Screen readers hear what was added (the visually hidden text around each <ins>).
    expect(await diff.textContent()).toMatch(/\[added: [^\]]*\$59[^\]]*\]/);
    expect(await diff.textContent()).toContain('volume tiers and the discount guardrails');
    // Only the summary changed: no other field is listed for this version.
    expect(await latest.locator('.change').evaluateAll((els) => els.map((e) => e.getAttribute('data-field')))).toEqual(['summary']);
    // Older versions open on demand (plain <details>).
    const first = page.locator('[data-testid="version"][data-number="1"]');
    expect(await first.locator('details').getAttribute('open')).toBeNull();
    await first.locator('summary').click();
    expect(await first.locator('details').getAttribute('open')).not.toBeNull();
    await page.close();
  });

  it('downloads a current item’s PDF through the portal', async () => {
    const { html } = await serverHtml(browser.context, `${portalUrl}/collateral/${SLUG}`);
    const href = /href="(\/collateral\/[^"]+\/download\/[^"]+)"/.exec(html)![1]!;
    const res = await browser.context.request.get(`${portalUrl}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/pdf');
    expect(res.headers()['content-disposition']).toMatch(/^attachment; filename="pricing-sheet-2026-aurora-pulse\.pdf"/);
    expect((await res.body()).subarray(0, 5).toString()).toBe('%PDF-');
    // A name that is not one of the item's files is not served, whatever else it is.
    expect((await browser.context.request.get(`${portalUrl}/collateral/${SLUG}/download/not_a_file.pdf`)).status()).toBe(404);
    // The old /media link of a document goes through the download route.
    const name = href.split('/').pop()!;
    const media = await browser.context.request.get(`${portalUrl}/media/${name}`, { maxRedirects: 0 });
    expect(media.status()).toBe(303);
    expect(media.headers()['location']).toBe(href);
    // Strapi's old public URL of the same file answers nobody without a signature.
    expect((await fetch(`${strapiUrl}/uploads/${name}`)).status).toBe(401);
  });

  it('answers 410 for a retracted item’s files from the download and the media route', async () => {
    const gone = (await strapi(`/api/collaterals?filters[slug][$eq]=${RETRACTED}&filters[standing][$eq]=retracted&populate[files][fields][0]=url&populate[cover][fields][0]=url`, repToken)).body.data[0];
    const stored = (url: string) => url.split('?')[0]!.split('/').pop()!;
    const pdf = stored(gone.files[0].url);
    const cover = stored(gone.cover.url);
    // Strapi itself never serves them: not at the old public URL, not to the rep's token.
    expect((await fetch(`${strapiUrl}/uploads/${pdf}`)).status).toBe(401);
    expect((await fetch(`${strapiUrl}/api/collaterals/files/${pdf}`, { headers: { authorization: `Bearer ${repToken}` } })).status).toBe(410);

    const page = await browser.context.newPage();
    const res = await page.goto(`${portalUrl}/collateral/${RETRACTED}/download/${pdf}`);
    expect(res?.status()).toBe(410);
    expect(res?.headers()['content-type']).toContain('text/html');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('“Free migration offer one-pager” was retracted');
    expect(await page.getByTestId('file-withheld').innerText()).toContain(pdf);
    expect(await page.getByTestId('replacement').getByRole('link').getAttribute('href')).toBe('/collateral/migration-services-packages-and-pricing');
    await page.close();

    for (const name of [pdf, cover, `thumbnail_${cover}`]) {
      const media = await browser.context.request.get(`${portalUrl}/media/${name}`, { maxRedirects: 0 });
      expect(media.status(), name).toBe(410);
      expect(await media.text(), name).toContain('was retracted');
    }
  });

  it('refuses a suggestion posted from another site, and saves nothing', async () => {
    const before = (await mine()).length;
    const form = new URLSearchParams({ collateral: item.documentId, kind: 'correction', suggestion: 'E2E: posted from somewhere else entirely.', urgency: 'normal' });
    const res = await fetch(`${portalUrl}/collateral/${SLUG}?_action=feedback.suggest`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://attacker.example', cookie: `candor_session=${repToken}` },
      body: form,
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    // The same post from the portal's own origin goes through.
    const ok = await fetch(`${portalUrl}/collateral/${SLUG}?_action=feedback.suggest`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(portalUrl).origin, cookie: `candor_session=${repToken}` },
      body: form,
      redirect: 'manual',
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/collateral/${SLUG}?suggested=1#suggest`);
    expect((await mine()).length).toBe(before + 1);
  });

  it('nothing scrolls sideways on a phone, also with the form showing errors', async () => {
    const phone = await launchBrowser(VIEWPORTS.phone, { javaScriptEnabled: false });
    try {
      await useSession(phone.context, portalUrl, repToken);
      const page = await phone.context.newPage();
      for (const path of [`/collateral/${SLUG}`, '/suggestions']) {
        await page.goto(`${portalUrl}${path}`);
        expect(await overflowsHorizontally(page), path).toBe(false);
      }
      await page.goto(`${portalUrl}/collateral/${SLUG}`);
      await page.getByText('Suggest an edit').click();
      await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Send suggestion' }).click()]);
      await page.getByTestId('form-errors').waitFor();
      expect(await overflowsHorizontally(page)).toBe(false);
    } finally {
      await phone.close();
    }
  });
});
