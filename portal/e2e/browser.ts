/** Headless Chromium for the end-to-end tests and screenshots, launched the way FACTS.md measured. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../scripts/lib/chromium';

export const DEMO_REP = { email: 'rep@candor.local', password: 'Candor-Rep-1', name: 'Riley Rep' };

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 375, height: 740 },
} as const;

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * A fresh Chromium profile in a temporary directory, removed again on close. `javaScriptEnabled:
 * false` checks that pages work as plain HTML.
 */
export async function launchBrowser(viewport: { width: number; height: number } = VIEWPORTS.desktop, options: { javaScriptEnabled?: boolean } = {}): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('No Chromium found: set CHROMIUM_PATH or `apt-get install -y chromium`.');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath, args: CHROMIUM_ARGS, viewport, javaScriptEnabled: options.javaScriptEnabled ?? true });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in through the real form, as a rep would. */
export async function signIn(page: Page, portalUrl: string, account = DEMO_REP): Promise<void> {
  await page.goto(`${portalUrl}/login`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.getByRole('button', { name: 'Sign in' }).click()]);
}

/** Gives the browser the rep's session cookie, exactly as sign-in sets it, without signing in again. */
export async function useSession(context: BrowserContext, portalUrl: string, token: string): Promise<void> {
  await context.addCookies([{ name: 'candor_session', value: token, domain: new URL(portalUrl).hostname, path: '/', httpOnly: true, sameSite: 'Lax' }]);
}

/** The page's HTML as the server sent it (before any script ran), fetched with the browser's cookies. */
export async function serverHtml(context: BrowserContext, url: string): Promise<{ status: number; html: string }> {
  const res = await context.request.get(url, { maxRedirects: 0 });
  return { status: res.status(), html: await res.text() };
}

/** Whether the page is wider than the viewport (something forces sideways scrolling). */
export async function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}
