/**
 * Strapi as the e2e tests talk to it directly: the marketer's side of a story (standing changes,
 * fixes, triage) and checks of what the portal caused. One place for the demo marketer's sign-ins,
 * through the API and through the admin panel's login form.
 */
import type { Page } from 'playwright-core';

export const DEMO_MARKETER = { email: 'marketing@candor.local', password: 'Candor-Marketing-1' };

export interface StrapiAnswer {
  status: number;
  body: any;
}

export function strapiApi(strapiUrl: string) {
  /** A JSON request; `json` makes it a POST unless `method` says otherwise. */
  async function request(path: string, token?: string, init: { method?: string; json?: unknown } = {}): Promise<StrapiAnswer> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${strapiUrl}${path}`, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers,
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  }

  return {
    request,
    /** A users-permissions JWT. Sign-in is rate-limited per client (10 a minute), so a 429 is waited out. */
    async signIn(account: { email: string; password: string } = DEMO_MARKETER): Promise<string> {
      for (let attempt = 0; attempt < 8; attempt++) {
        const res = await request('/api/auth/local', undefined, { json: { identifier: account.email, password: account.password } });
        if (res.status === 429) {
          await new Promise((r) => setTimeout(r, 10_000));
          continue;
        }
        if (!res.body?.jwt) throw new Error(`${account.email} could not sign in to Strapi (${res.status})`);
        return res.body.jwt as string;
      }
      throw new Error(`${account.email} was rate-limited for too long`);
    },
    /**
     * A Strapi admin panel token (the admin's own API, e.g. the content manager). Strapi allows five
     * admin sign-ins per e-mail and IP in five minutes: tests use the one global setup provides
     * (`inject('adminToken')`).
     */
    async adminToken(account: { email: string; password: string } = DEMO_MARKETER): Promise<string> {
      const res = await request('/admin/login', undefined, { json: { email: account.email, password: account.password } });
      if (!res.body?.data?.token) throw new Error(`${account.email} could not sign in to the Strapi admin (${res.status})`);
      return res.body.data.token as string;
    },
  };
}

/**
 * Signs in to the Strapi admin panel through its login form, as a marketer does, and waits for the
 * main navigation. Strapi's own popups are dismissed whenever one shows up before the test's next
 * action: handlers rather than fixed clicks, as which appear depends on the Strapi release and the user.
 */
export async function signInToAdmin(page: Page, strapiUrl: string, account = DEMO_MARKETER): Promise<void> {
  // A release banner ("Introducing the new Media Library" in 5.54) across the top of every page.
  await page.addLocatorHandler(page.getByRole('button', { name: /^Close the banner/ }), (close) => close.click());
  // Guided-tour steps (Strapi shows them to the first super admin, in admin builds for development).
  await page.addLocatorHandler(page.getByRole('dialog').filter({ hasText: /Step \d+ of \d+/ }), (step) =>
    step.getByRole('button', { name: /^(Skip|Got it)$/ }).first().click(),
  );
  await page.goto(`${strapiUrl}/admin/auth/login`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'Content Manager' }).waitFor();
}
