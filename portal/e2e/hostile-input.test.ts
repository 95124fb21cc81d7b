/**
 * The built portal against requests no browser sends: posts that are not forms (JSON in any letter
 * case, odd charsets, multipart without a boundary) and session cookies holding CR, LF or NUL. Each
 * answers 4xx with a sentence, or sends the rep to sign in; none answers 5xx.
 */
import { describe, expect, inject, it } from 'vitest';
import { strapiApi } from './strapi';

const portalUrl = inject('portalUrl');
const strapiUrl = inject('strapiUrl');
const repToken = inject('repToken');

const SLUG = 'pricing-sheet-2026-aurora-pulse';
const origin = new URL(portalUrl).origin;
const { request: strapi } = strapiApi(strapiUrl);

/** A suggestion as JSON text; the bytes are UTF-8 whatever the header claims. */
const SUGGESTION_JSON = JSON.stringify({ collateral: 'x', kind: 'correction', suggestion: 'E2E hostile: this must never be saved.', urgency: 'normal' });

const BODIES: { name: string; contentType: string; body: BodyInit; status: 400 | 415; says: RegExp }[] = [
  { name: 'JSON declared as UTF-16', contentType: 'application/json; charset=utf-16', body: SUGGESTION_JSON, status: 415, says: /takes forms, not application\/json/ },
  { name: 'UTF-16 bytes declared as UTF-16', contentType: 'application/json; charset=utf-16', body: new Uint8Array(Buffer.from(SUGGESTION_JSON, 'utf16le')), status: 415, says: /takes forms/ },
  { name: 'JSON in a bogus charset', contentType: 'application/json; charset=bogus', body: SUGGESTION_JSON, status: 415, says: /takes forms/ },
  { name: 'upper-case APPLICATION/JSON', contentType: 'APPLICATION/JSON', body: SUGGESTION_JSON, status: 415, says: /not application\/json/ },
  { name: 'broken JSON', contentType: 'application/json', body: '{"collateral":', status: 415, says: /takes forms/ },
  { name: 'a form declared as UTF-16', contentType: 'application/x-www-form-urlencoded; charset=utf-16', body: 'kind=correction', status: 415, says: /charset "utf-16"/ },
  { name: 'a form in a bogus charset', contentType: 'application/x-www-form-urlencoded; charset=bogus', body: 'kind=correction', status: 415, says: /charset "bogus"/ },
  { name: 'multipart without a boundary', contentType: 'multipart/form-data', body: 'kind=correction', status: 400, says: /boundary/ },
  { name: 'an unreadable Content-Type', contentType: ';;;', body: 'kind=correction', status: 400, says: /could not be read/ },
];

const post = (path: string, contentType: string, body: BodyInit, cookie = `candor_session=${repToken}`) =>
  fetch(`${portalUrl}${path}`, { method: 'POST', headers: { 'content-type': contentType, origin, cookie }, body, redirect: 'manual' });

describe('posts that are not forms', () => {
  it('the suggestion action (/_actions/feedback.suggest) refuses each with the action error JSON', async () => {
    for (const b of BODIES) {
      const res = await post('/_actions/feedback.suggest', b.contentType, b.body);
      expect(res.status, b.name).toBe(b.status);
      expect(res.headers.get('content-type'), b.name).toContain('application/json');
      const body = await res.json();
      expect(body, b.name).toMatchObject({ type: 'AstroActionError', code: b.status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST', status: b.status, message: expect.stringMatching(b.says) });
    }
  });

  it('the page form post (?_action=feedback.suggest) and sign-in refuse each with a sentence', async () => {
    for (const path of [`/collateral/${SLUG}?_action=feedback.suggest`, '/login']) {
      for (const b of BODIES) {
        const res = await post(path, b.contentType, b.body);
        expect(res.status, `${path}: ${b.name}`).toBe(b.status);
        expect(await res.text(), `${path}: ${b.name}`).toMatch(b.says);
      }
    }
  });

  it('a real form still reaches the action, whatever the letter case of its type', async () => {
    // No suggestion text: the action's own validation answers (400 with the field), nothing is saved.
    const before = (await strapi('/api/feedbacks/mine', repToken)).body.data.length;
    const res = await post('/_actions/feedback.suggest', 'APPLICATION/X-WWW-FORM-URLENCODED; CHARSET=UTF-8', new URLSearchParams({ collateral: 'x', kind: 'correction' }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: 'AstroActionInputError', fields: { suggestion: expect.any(Array) } });
    expect((await strapi('/api/feedbacks/mine', repToken)).body.data.length).toBe(before);
  });
});

describe('session cookies holding control characters', () => {
  const COOKIES = ['%0d%0a', `${repToken}%0d%0aX-Injected:%201`, '%00', `${repToken}%00`, 'a.b.c%0d%0a', '%0a.%0a.%0a'];

  it('are no session: the rep is sent to sign in and the cookie is cleared', async () => {
    for (const value of COOKIES) {
      const res = await fetch(`${portalUrl}/`, { headers: { cookie: `candor_session=${value}` }, redirect: 'manual' });
      expect(res.status, value).toBe(303);
      expect(res.headers.get('location'), value).toBe('/login?reason=expired');
      expect(res.headers.get('set-cookie'), value).toMatch(/^candor_session=deleted; .*Expires=Thu, 01 Jan 1970/);
      expect(res.headers.get('x-injected'), value).toBeNull();
    }
  });

  it('sign-in shows its form for them, and a form post with one goes to sign in', async () => {
    for (const value of COOKIES) {
      const login = await fetch(`${portalUrl}/login`, { headers: { cookie: `candor_session=${value}` }, redirect: 'manual' });
      expect(login.status, value).toBe(200);
      expect(await login.text(), value).toContain('Sign in');

      const form = new URLSearchParams({ collateral: 'x', kind: 'correction', suggestion: 'E2E hostile: this must never be saved.' });
      const res = await post(`/collateral/${SLUG}?_action=feedback.suggest`, 'application/x-www-form-urlencoded', form, `candor_session=${value}`);
      expect(res.status, value).toBe(303);
      expect(res.headers.get('location'), value).toMatch(/^\/login\?/);
    }
  });
});
