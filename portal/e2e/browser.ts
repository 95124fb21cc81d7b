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

/** A fresh Chromium profile in a temporary directory, removed again on close. */
export async function launchBrowser(viewport: { width: number; height: number } = VIEWPORTS.desktop): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('No Chromium found: set CHROMIUM_PATH or `apt-get install -y chromium`.');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath, args: CHROMIUM_ARGS, viewport });
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
