import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCms, type TestCms } from './harness';

/** The write routes a rep reaches (the hostile run's 500s), with a body each would accept. */
const ROUTES = [
  { method: 'POST', path: '/api/feedbacks' },
  { method: 'PUT', path: '/api/change-notices/subscription' },
  { method: 'POST', path: '/api/change-notices/views' },
  { method: 'POST', path: '/api/change-notices/search/log' },
] as const;

interface Case {
  name: string;
  headers: Record<string, string>;
  body: string | Uint8Array<ArrayBuffer>;
  status: 400 | 413 | 415;
  /** A word the message must contain, so it says what is wrong. */
  says: RegExp;
}

const JSON_BODY = JSON.stringify({ data: { query: 'pricing' } });
const gzip = (s: string) => new Uint8Array(zlib.gzipSync(s));
/** The first bytes of a gzip stream: a valid header, then nothing. */
const truncated = (bytes: Uint8Array<ArrayBuffer>) => bytes.slice(0, 15);

const CASES: Case[] = [
  { name: 'multipart/form-data without a boundary', headers: { 'content-type': 'multipart/form-data' }, body: 'a=b', status: 400, says: /boundary/ },
  {
    name: 'multipart/form-data cut off before its closing boundary',
    headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
    body: '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb',
    status: 400,
    says: /malformed or cut off/,
  },
  { name: 'Content-Encoding: gzip on a body that is not gzip', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: JSON_BODY, status: 400, says: /not valid gzip/ },
  { name: 'Content-Encoding: gzip on a truncated gzip body', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: truncated(gzip(JSON_BODY)), status: 400, says: /not valid gzip/ },
  { name: 'Content-Encoding: deflate on a body that is not deflate', headers: { 'content-type': 'application/json', 'content-encoding': 'deflate' }, body: JSON_BODY, status: 400, says: /not valid deflate/ },
  { name: 'Content-Encoding: br on a body that is not brotli', headers: { 'content-type': 'application/json', 'content-encoding': 'br' }, body: JSON_BODY, status: 400, says: /not valid br/ },
  { name: 'an unknown Content-Encoding', headers: { 'content-type': 'application/json', 'content-encoding': 'compress' }, body: JSON_BODY, status: 415, says: /"compress" is not supported/ },
  { name: 'JSON declared as UTF-16', headers: { 'content-type': 'application/json; charset=utf-16' }, body: JSON_BODY, status: 415, says: /UTF-8/ },
  { name: 'JSON in a bogus charset', headers: { 'content-type': 'application/json; charset=bogus' }, body: JSON_BODY, status: 415, says: /"bogus"/ },
  { name: 'APPLICATION/JSON in a bogus charset, upper case', headers: { 'content-type': 'APPLICATION/JSON; CHARSET=BOGUS' }, body: JSON_BODY, status: 415, says: /"BOGUS"/ },
  { name: 'a form in Latin-1', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=latin1' }, body: 'query=pricing', status: 415, says: /UTF-8/ },
  { name: 'text in a bogus charset', headers: { 'content-type': 'text/plain; charset=x-unknown' }, body: 'pricing', status: 415, says: /UTF-8/ },
  { name: 'broken JSON', headers: { 'content-type': 'application/json' }, body: '{"data":', status: 400, says: /not valid JSON/ },
  { name: 'JSON larger than the 1 MB limit', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { query: 'x'.repeat(1_100_000) } }), status: 413, says: /larger than 1 MB/ },
];

describe('malformed request bodies answer 4xx with a message, never 500', () => {
  let cms: TestCms;
  let rep: string;
  let deck: { documentId: string };

  beforeAll(async () => {
    cms = await startTestCms({ demoContent: true });
    rep = await cms.login('rep@candor.local', 'Candor-Rep-1');
    deck = (await cms.strapi.documents('api::collateral.collateral').findFirst({ status: 'published', filters: { slug: 'pricing-sheet-2026-aurora-pulse' } as never }))!;
  });
  afterAll(async () => {
    await cms?.stop();
  });

  const send = async (route: (typeof ROUTES)[number], c: Pick<Case, 'headers' | 'body'>, token?: string) => {
    const res = await fetch(cms.url + route.path, {
      method: route.method,
      headers: { ...c.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: c.body,
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : null };
  };

  for (const c of CASES) {
    it(`${c.name} → ${c.status}`, async () => {
      for (const route of ROUTES) {
        // Bodies are read before authentication: signed in or not, the answer is the same.
        for (const token of [rep, undefined]) {
          const res = await send(route, c, token);
          const where = `${route.method} ${route.path}${token ? ' (rep)' : ''}`;
          expect(res.status, where).toBe(c.status);
          expect(res.type, where).toContain('application/json');
          expect(res.body, where).toMatchObject({ data: null, error: { status: c.status, name: expect.any(String), message: expect.stringMatching(c.says) } });
        }
      }
    });
  }

  it('bodies that parse but have the wrong shape are refused by the routes themselves with 400', async () => {
    const multipart = new FormData();
    multipart.append('data', '{"query":"pricing"}');
    const shapes: { name: string; headers: Record<string, string>; body: BodyInit }[] = [
      { name: 'a JSON array', headers: { 'content-type': 'application/json' }, body: '[]' },
      { name: 'a JSON scalar', headers: { 'content-type': 'application/json' }, body: '"pricing"' },
      { name: 'data: null', headers: { 'content-type': 'application/json' }, body: '{"data":null}' },
      { name: 'data: an array', headers: { 'content-type': 'application/json' }, body: '{"data":[1,2]}' },
      { name: 'plain text', headers: { 'content-type': 'text/plain' }, body: 'pricing' },
      { name: 'a urlencoded form', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'data[query]=pricing&data[x]=1' },
      { name: 'multipart with a boundary', headers: {}, body: multipart },
    ];
    for (const route of ROUTES) {
      for (const shape of shapes) {
        const res = await fetch(cms.url + route.path, { method: route.method, headers: { ...shape.headers, authorization: `Bearer ${rep}` }, body: shape.body });
        expect(res.status, `${route.method} ${route.path}: ${shape.name}`).toBe(400);
        expect((await res.json()).error.message, `${route.method} ${route.path}: ${shape.name}`).toEqual(expect.any(String));
      }
    }
  });

  it('well-formed bodies still go through: gzip, an upper-case media type, an explicit UTF-8 charset', async () => {
    const feedback = JSON.stringify({ data: { collateral: deck.documentId, kind: 'correction', suggestion: 'The Team tier price on page 2 is out of date.', urgency: 'normal' } });
    const gzipped = await send(ROUTES[0], { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzip(feedback) }, rep);
    expect(gzipped.status).toBe(201);
    const upper = await send(ROUTES[0], { headers: { 'content-type': 'APPLICATION/JSON; CHARSET=UTF-8' }, body: feedback }, rep);
    expect(upper.status).toBe(201);
    const view = await send(ROUTES[2], { headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ collateral: deck.documentId, action: 'view' }) }, rep);
    expect(view.status).toBe(204);
  });
});
