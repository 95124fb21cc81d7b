/**
 * Screenshots of the portal for docs/screenshots: sign-in, home, a scaled-back item, a retracted
 * item's tombstone, the notices inbox, the subscription form, a search, the suggestion form with
 * field errors and My suggestions, at desktop (1280 px) and phone (375 px) width.
 *
 *   npm run screenshots -w @candor/portal                        # starts the stack with demo content
 *   npm run screenshots -w @candor/portal -- http://localhost:4321  # uses a running portal
 *
 * Run `npm run build -- --no-admin` first when starting the stack.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, signIn, VIEWPORTS } from './browser';
import { startTestStack } from './stack';

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots');

const given = process.argv[2];
const stack = given ? null : await startTestStack();
const portalUrl = given ?? stack!.portalUrl;
fs.mkdirSync(OUT, { recursive: true });

try {
  for (const [width, viewport] of Object.entries(VIEWPORTS)) {
    const browser = await launchBrowser(viewport);
    try {
      const page = await browser.context.newPage();
      const shot = async (name: string) => {
        const file = path.join(OUT, `portal-${name}-${width}.png`);
        // Phones scroll: show what a rep scrolls through (up to ~3 screens). Desktop: the first screen.
        if (width === 'phone' && name !== 'login') {
          // Lazy covers load only when scrolled to: scroll through first so the shot shows them.
          await page.evaluate(async () => {
            for (let y = 0; y < document.documentElement.scrollHeight; y += 500) {
              window.scrollTo(0, y);
              await new Promise((r) => setTimeout(r, 50));
            }
            window.scrollTo(0, 0);
          });
          await page.waitForLoadState('networkidle');
          const height = await page.evaluate(() => document.documentElement.scrollHeight);
          await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width: viewport.width, height: Math.min(height, 2200) } });
        } else {
          await page.screenshot({ path: file });
        }
        console.log(`${path.relative(process.cwd(), file)} (${Math.round(fs.statSync(file).size / 1024)} KB)`);
      };
      await page.goto(`${portalUrl}/login`);
      await shot('login');
      await signIn(page, portalUrl);
      await page.waitForLoadState('networkidle');
      // The demo's notices reach the inbox through the outbox a moment after Strapi starts: wait for
      // them (up to 15 s), so home shows what a rep sees.
      for (let i = 0; i < 30 && (await page.locator('[data-testid="open-notices"] [data-testid="notice"]').count()) === 0; i++) {
        await page.waitForTimeout(500);
        await page.reload({ waitUntil: 'networkidle' });
      }
      await shot('home');
      await page.goto(`${portalUrl}/collateral/aurora-suite-launch-deck-2026`, { waitUntil: 'networkidle' });
      await shot('scaled-back');
      await page.goto(`${portalUrl}/collateral/free-migration-offer-one-pager`, { waitUntil: 'networkidle' });
      await shot('retracted');
      await page.goto(`${portalUrl}/notices`, { waitUntil: 'networkidle' });
      await shot('notices');
      await page.goto(`${portalUrl}/subscriptions`, { waitUntil: 'networkidle' });
      await shot('subscriptions');
      // Suggest an edit, refused: the form opens at itself with a message beside each field.
      await page.goto(`${portalUrl}/collateral/pricing-sheet-2026-aurora-pulse`, { waitUntil: 'networkidle' });
      await page.getByText('Suggest an edit').click();
      await page.getByLabel('The passage it is about').fill('Team | up to 25 | $49');
      await page.getByLabel('Your suggestion').fill('Wrong');
      await Promise.all([page.waitForURL(/_action=/), page.getByRole('button', { name: 'Send suggestion' }).click()]);
      await page.waitForLoadState('networkidle');
      const suggestFile = path.join(OUT, `portal-suggest-errors-${width}.png`);
      await page.locator('#suggest').screenshot({ path: suggestFile });
      console.log(path.relative(process.cwd(), suggestFile));
      // My suggestions, with one sent through the form (once per stack).
      await page.goto(`${portalUrl}/suggestions`);
      if ((await page.getByTestId('no-suggestions').count()) > 0) {
        await page.goto(`${portalUrl}/collateral/pricing-sheet-2026-aurora-pulse`);
        await page.getByText('Suggest an edit').click();
        await page.getByRole('radio', { name: 'Outdated' }).check();
        await page.getByLabel('The passage it is about').fill('Team | up to 25 | $49');
        await page.getByLabel('Your suggestion').fill('The Team tier went up to $59 on 1 November; the sheet still says $49.');
        await page.getByLabel('Customer context').fill('Northwind asked why our quote differs from the sheet.');
        await Promise.all([page.waitForURL(/suggested=1/), page.getByRole('button', { name: 'Send suggestion' }).click()]);
        await page.goto(`${portalUrl}/suggestions`);
      }
      await page.waitForLoadState('networkidle');
      await shot('suggestions');
      // Search with a typo, as a rep types it: highlights, facets with counts, the scaled-back banner.
      // The CMS indexes the demo content after it starts: wait until the index stops growing.
      for (let i = 0, last = -1; i < 40; i++) {
        const res = await page.request.get(`${portalUrl}/api/search`);
        const total = res.ok() ? ((await res.json()) as { total: number }).total : 0;
        if (total > 0 && total === last) break;
        last = total;
        await page.waitForTimeout(1000);
      }
      await page.goto(`${portalUrl}/search?q=natinal+tv`, { waitUntil: 'networkidle' });
      await shot('search');
    } finally {
      await browser.close();
    }
  }
} finally {
  await stack?.stop();
}
