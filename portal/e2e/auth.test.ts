import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PORTAL_DIR } from '../../scripts/lib/paths';
import { freePort } from '../../scripts/lib/ports';
import { DEMO_REP, launchBrowser, overflowsHorizontally, useSession, VIEWPORTS, type Browser } from './browser';

const portalUrl = inject('portalUrl');
const strapiUrl = inject('strapiUrl');
const repToken = inject('repToken');

/** Submits the sign-in form and returns the status of the page it lands on. */
async function submitSignIn(page: Page, email: string, password: string): Promise<number> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'), page.getByRole('button', { name: 'Sign in' }).click()]);
  await page.waitForLoadState();
  return response.status();
}

describe('sign-in', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('sends a visitor without a session to sign in, remembering where they were going', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/collateral/aurora-suite-launch-deck-2026`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/collateral/aurora-suite-launch-deck-2026');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Sign in');
    await page.close();

    const direct = await fetch(`${portalUrl}/`, { redirect: 'manual' });
    expect(direct.status).toBe(303);
    expect(direct.headers.get('location')).toBe('/login');
  });

  it('refuses a wrong password with 401, a clear message and the email kept', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/login`);
    const status = await submitSignIn(page, DEMO_REP.email, 'not-the-password');
    expect(status).toBe(401);
    expect(await page.getByRole('alert').innerText()).toContain('That email and password do not match an account');
    expect(await page.getByLabel('Email').inputValue()).toBe(DEMO_REP.email);
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    expect(await browser.context.cookies(portalUrl)).toEqual([]);
    await page.close();
  });

  it('asks for both fields before calling the CMS', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/login`);
    const status = await submitSignIn(page, '', '');
    expect(status).toBe(400);
    expect(await page.getByRole('alert').innerText()).toContain('Enter your email address. Enter your password.');
    await page.close();
  });

  it('signs the demo rep in with an httpOnly session cookie and returns to the page they wanted', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${portalUrl}/collateral/aurora-suite-launch-deck-2026`);
    const status = await submitSignIn(page, DEMO_REP.email, DEMO_REP.password);
    expect(status).toBe(303);
    expect(new URL(page.url()).pathname).toBe('/collateral/aurora-suite-launch-deck-2026');
    expect(await page.getByRole('banner').innerText()).toContain(DEMO_REP.name);

    const [cookie] = await browser.context.cookies(portalUrl);
    expect(cookie).toMatchObject({ name: 'candor_session', httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
    expect(cookie!.expires).toBeGreaterThan(Date.now() / 1000 + 3600);
    // The cookie holds a JWT Strapi accepts for this rep.
    const me = await fetch(`${strapiUrl}/api/users/me`, { headers: { authorization: `Bearer ${cookie!.value}` } });
    expect(((await me.json()) as { email: string }).email).toBe(DEMO_REP.email);

    // Back on /login with a working session, the rep goes straight on.
    await page.goto(`${portalUrl}/login`);
    expect(new URL(page.url()).pathname).toBe('/');
    await page.close();
  });

  it('ignores a next that points at another site', async () => {
    const fresh = await launchBrowser();
    try {
      const page = await fresh.context.newPage();
      await page.goto(`${portalUrl}/login?next=${encodeURIComponent('//evil.example/phish')}`);
      await submitSignIn(page, DEMO_REP.email, DEMO_REP.password);
      expect(page.url()).toBe(`${portalUrl}/`);
    } finally {
      await fresh.close();
    }
  });

  it('signs out with the header button', async () => {
    const fresh = await launchBrowser();
    try {
      await useSession(fresh.context, portalUrl, repToken);
      const page = await fresh.context.newPage();
      await page.goto(`${portalUrl}/`);
      await Promise.all([page.waitForURL(/\/login/), page.getByRole('button', { name: 'Sign out' }).click()]);
      expect(await page.getByRole('status').innerText()).toContain('You are signed out.');
      expect(await fresh.context.cookies(portalUrl)).toEqual([]);
      await page.goto(`${portalUrl}/`);
      expect(new URL(page.url()).pathname).toBe('/login');
    } finally {
      await fresh.close();
    }
  });

  it('clears a session Strapi no longer accepts and asks to sign in again', async () => {
    const fresh = await launchBrowser();
    try {
      const host = new URL(portalUrl).hostname;
      await fresh.context.addCookies([{ name: 'candor_session', value: 'eyJhbGciOiJIUzI1NiJ9.eyJpZCI6MiwiZXhwIjoxfQ.forged', domain: host, path: '/', httpOnly: true, sameSite: 'Lax' }]);
      const page = await fresh.context.newPage();
      await page.goto(`${portalUrl}/?kind=deck`);
      const url = new URL(page.url());
      expect(url.pathname).toBe('/login');
      expect(url.searchParams.get('next')).toBe('/?kind=deck');
      expect(await page.getByRole('status').innerText()).toContain('Your session has ended');
      expect(await fresh.context.cookies(portalUrl)).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('works as plain HTML, without JavaScript', async () => {
    const noJs = await launchBrowser(undefined, { javaScriptEnabled: false });
    try {
      const page = await noJs.context.newPage();
      await page.goto(`${portalUrl}/login`);
      expect(await submitSignIn(page, DEMO_REP.email, DEMO_REP.password)).toBe(303);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Collateral');
    } finally {
      await noJs.close();
    }
  });

  it('fits a phone (375 px) without sideways scrolling', async () => {
    const phone = await launchBrowser(VIEWPORTS.phone);
    try {
      const page = await phone.context.newPage();
      await page.goto(`${portalUrl}/login`);
      expect(await overflowsHorizontally(page)).toBe(false);
    } finally {
      await phone.close();
    }
  });

  it('refuses a sign-in form posted from another site', async () => {
    const res = await fetch(`${portalUrl}/login`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ identifier: DEMO_REP.email, password: DEMO_REP.password }),
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});

describe('when Strapi is down', () => {
  // A second portal from the same build, pointed at a port where nothing listens.
  let child: ChildProcess;
  let url: string;
  beforeAll(async () => {
    const port = await freePort();
    const deadStrapi = `http://127.0.0.1:${await freePort()}`;
    url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [path.join(PORTAL_DIR, 'dist', 'server', 'entry.mjs')], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), STRAPI_URL: deadStrapi, NODE_ENV: 'production', CMS_TIMEOUT_MS: '2000' },
      stdio: 'ignore',
    });
    for (let i = 0; i < 80; i++) {
      if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('the second portal did not start');
  });
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('answers sign-in with 503 and a message, never a stack trace', async () => {
    const res = await fetch(`${url}/login`, {
      method: 'POST',
      headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ identifier: DEMO_REP.email, password: DEMO_REP.password }),
      redirect: 'manual',
    });
    const html = await res.text();
    expect(res.status).toBe(503);
    expect(html).toContain('Sign-in is unavailable right now');
    expect(html).toContain(`value="${DEMO_REP.email}"`);
    expect(html).not.toMatch(/ECONNREFUSED|CmsError|at .*\.(m?js|ts):\d+/);
  });

  it('shows a signed-in rep a 503 page instead of collateral', async () => {
    const res = await fetch(`${url}/`, { headers: { cookie: 'candor_session=some.jwt.value' }, redirect: 'manual' });
    const html = await res.text();
    expect(res.status).toBe(503);
    expect(html).toContain('Collateral is unavailable right now');
    expect(html).not.toMatch(/ECONNREFUSED|CmsError|at .*\.(m?js|ts):\d+/);
  });

  it('still answers the health probe', async () => {
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });
});
