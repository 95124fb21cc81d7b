import { describe, expect, it } from 'vitest';
import { CmsError, collateralListQuery, createCmsClient, toStrapiQuery } from './cms';

/** A fetch that answers from a table and records what was asked. */
function fakeFetch(handler: (url: URL, init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: URL; init: RequestInit }[] = [];
  const fn = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(String(input));
    calls.push({ url, init });
    return handler(url, init);
  }) as typeof fetch;
  return { fn, calls };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const strapiError = (status: number, name: string, message: string, details: unknown = {}) => json(status, { data: null, error: { status, name, message, details } });

const item = {
  id: 2,
  documentId: 'doc1',
  title: 'Aurora Suite launch deck 2026',
  slug: 'aurora-suite-launch-deck-2026',
  kind: 'deck',
  summary: 'The 2026 launch story.',
  body: '## Why now\nBecause.',
  funnelStage: 'awareness',
  standing: 'scaled_back',
  standingReason: 'Claims were scaled back.',
  nowTrue: 'Cable spots in 12 markets.',
  standingChangedAt: '2026-11-23T07:32:52.198Z',
  needsReview: false,
  reviewNote: null,
  reviewBy: '2026-12-15',
  updatedAt: '2026-11-23T07:32:52.215Z',
  publishedAt: '2026-11-23T07:32:52.234Z',
  ownerEmail: 'marketing@candor.local',
  products: [{ id: 1, documentId: 'p1', name: 'Aurora Pulse', slug: 'aurora-pulse' }],
  regions: [{ name: 'EMEA', slug: 'emea' }],
  personas: [],
  claims: [{ statement: 'National TV campaign in Q4', slug: 'tv', standing: 'scaled_back', standingReason: 'Budget cut.', nowTrue: 'Cable spots.', standingChangedAt: null }],
  files: [{ name: 'deck.pdf', url: '/uploads/deck_1.pdf', mime: 'application/pdf', size: 1.2, alternativeText: null, formats: null }],
  cover: null,
};

describe('toStrapiQuery', () => {
  it('encodes nested filters, arrays and populate the way qs reads them', () => {
    const params = toStrapiQuery({
      filters: { slug: { $eq: 'a b' }, $or: [{ title: { $containsi: 'x' } }, { summary: { $containsi: 'x' } }] },
      fields: ['title', 'slug'],
      populate: { products: { fields: ['name'] } },
      pagination: { pageSize: 50 },
      skipped: undefined,
    });
    expect([...params.entries()]).toEqual([
      ['filters[slug][$eq]', 'a b'],
      ['filters[$or][0][title][$containsi]', 'x'],
      ['filters[$or][1][summary][$containsi]', 'x'],
      ['fields[0]', 'title'],
      ['fields[1]', 'slug'],
      ['populate[products][fields][0]', 'name'],
      ['pagination[pageSize]', '50'],
    ]);
    // Brackets are percent-encoded on the wire.
    expect(params.toString()).toContain('filters%5Bslug%5D%5B%24eq%5D=a+b');
  });
});

describe('collateralListQuery', () => {
  it('never lists retracted items and sorts newest first', () => {
    const params = collateralListQuery({});
    expect(params.get('filters[standing][$ne]')).toBe('retracted');
    expect(params.get('sort[0]')).toBe('updatedAt:desc');
    expect(params.get('populate[products][fields][0]')).toBe('name');
    expect(params.get('pagination[page]')).toBe('1');
  });

  it('narrows by standing, kind, product and words', () => {
    const params = collateralListQuery({ standing: 'scaled_back', kind: 'deck', product: 'aurora-pulse', q: '  launch ', page: 2, pageSize: 10 });
    expect(params.get('filters[standing][$eq]')).toBe('scaled_back');
    expect(params.has('filters[standing][$ne]')).toBe(false);
    expect(params.get('filters[kind][$eq]')).toBe('deck');
    expect(params.get('filters[products][slug][$eq]')).toBe('aurora-pulse');
    expect(params.get('filters[$or][0][title][$containsi]')).toBe('launch');
    expect(params.get('pagination[page]')).toBe('2');
    expect(params.get('pagination[pageSize]')).toBe('10');
  });
});

describe('createCmsClient', () => {
  const client = (handler: Parameters<typeof fakeFetch>[0]) => {
    const fake = fakeFetch(handler);
    return { cms: createCmsClient({ baseUrl: 'http://cms.test/', fetch: fake.fn, timeoutMs: 50 }), calls: fake.calls };
  };

  describe('signIn', () => {
    it('returns the JWT and user for the right password', async () => {
      const { cms, calls } = client(() => json(200, { jwt: 'token', user: { id: 1, username: 'Riley Rep', email: 'rep@candor.local', blocked: false } }));
      await expect(cms.signIn('rep@candor.local', 'pw')).resolves.toEqual({ jwt: 'token', user: { id: 1, username: 'Riley Rep', email: 'rep@candor.local' } });
      expect(calls[0]!.url.href).toBe('http://cms.test/api/auth/local');
      expect(calls[0]!.init.method).toBe('POST');
      expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ identifier: 'rep@candor.local', password: 'pw' });
    });

    it("passes the rep's address on, for Strapi's per-IP sign-in limit", async () => {
      const { cms, calls } = client(() => json(200, { jwt: 'token', user: { id: 1, username: 'r', email: 'r@x' } }));
      await cms.signIn('r@x', 'pw', { clientIp: '203.0.113.7' });
      expect(new Headers(calls[0]!.init.headers).get('x-forwarded-for')).toBe('203.0.113.7');
    });

    it('turns a wrong password into invalid_credentials', async () => {
      const { cms } = client(() => strapiError(400, 'ValidationError', 'Invalid identifier or password'));
      await expect(cms.signIn('rep@candor.local', 'nope')).rejects.toMatchObject({ name: 'CmsError', code: 'invalid_credentials', status: 400 });
    });

    it("keeps Strapi's words for other refusals", async () => {
      const { cms } = client(() => strapiError(400, 'ApplicationError', 'Your account has been blocked by an administrator'));
      await expect(cms.signIn('a', 'b')).rejects.toMatchObject({ code: 'rejected', message: 'Your account has been blocked by an administrator' });
    });

    it('reports rate limiting', async () => {
      const { cms } = client(() => strapiError(429, 'RateLimitError', 'Too many requests, please try again later.'));
      await expect(cms.signIn('a', 'b')).rejects.toMatchObject({ code: 'rate_limited', status: 429 });
    });
  });

  describe('failures every call shares', () => {
    it('unreachable: the connection fails', async () => {
      const { cms } = client(() => Promise.reject(new TypeError('fetch failed')));
      const err = await cms.me('t').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CmsError);
      expect(err).toMatchObject({ code: 'unreachable', status: null });
      expect((err as Error).cause).toBeInstanceOf(TypeError);
    });

    it('timeout: no answer in time', async () => {
      const { cms } = client((_url, init) => new Promise<Response>((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason))));
      await expect(cms.me('t')).rejects.toMatchObject({ code: 'timeout' });
    });

    it('bad_response: not JSON (a proxy error page)', async () => {
      const { cms } = client(() => new Response('<html>Bad gateway</html>', { status: 502 }));
      await expect(cms.me('t')).rejects.toMatchObject({ code: 'bad_response', status: 502 });
    });

    it('bad_response: JSON of the wrong shape, naming the field', async () => {
      const { cms } = client(() => json(200, { id: 'one', username: 'x' }));
      await expect(cms.me('t')).rejects.toMatchObject({ code: 'bad_response', message: expect.stringMatching(/id:/) });
    });

    it('unauthorized: an expired JWT', async () => {
      const { cms, calls } = client(() => strapiError(401, 'UnauthorizedError', 'Missing or invalid credentials'));
      await expect(cms.me('expired')).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
      expect(new Headers(calls[0]!.init.headers).get('authorization')).toBe('Bearer expired');
    });

    it('forbidden and server errors', async () => {
      await expect(client(() => strapiError(403, 'ForbiddenError', 'Forbidden')).cms.me('t')).rejects.toMatchObject({ code: 'forbidden' });
      await expect(client(() => strapiError(500, 'InternalServerError', 'boom')).cms.me('t')).rejects.toMatchObject({ code: 'server_error', status: 500 });
    });
  });

  describe('collateralBySlug', () => {
    it('returns current material with its relations, defaults filled in', async () => {
      const { cms, calls } = client(() => json(200, { data: item }));
      const result = await cms.collateralBySlug('t', 'aurora-suite-launch-deck-2026');
      expect(calls[0]!.url.pathname).toBe('/api/collaterals/by-slug/aurora-suite-launch-deck-2026');
      expect(result.state).toBe('current');
      if (result.state !== 'current') return;
      expect(result.item.products).toEqual([{ name: 'Aurora Pulse', slug: 'aurora-pulse' }]);
      expect(result.item.claims[0]).toMatchObject({ standing: 'scaled_back', nowTrue: 'Cable spots.' });
      expect(result.item.files[0]).toMatchObject({ url: '/uploads/deck_1.pdf', formats: {} });
      expect(result.item).not.toHaveProperty('ownerEmail');
    });

    it("returns a retracted item's tombstone from Strapi's 410", async () => {
      const tombstone = { documentId: 'd', title: 'Free migration offer one-pager', slug: 'free-migration-offer-one-pager', reason: 'The offer ended.', retractedAt: '2026-11-01T00:00:00.000Z', replacedBy: { documentId: 'r', title: 'Migration services', slug: 'migration-services' } };
      const { cms } = client(() => strapiError(410, 'GoneError', 'retracted', { tombstone }));
      await expect(cms.collateralBySlug('t', 'free-migration-offer-one-pager')).resolves.toEqual({ state: 'retracted', tombstone });
    });

    it('reports unknown slugs as missing, and never asks Strapi about malformed ones', async () => {
      const { cms, calls } = client(() => strapiError(404, 'NotFoundError', 'No published collateral'));
      await expect(cms.collateralBySlug('t', 'nope')).resolves.toEqual({ state: 'missing' });
      await expect(cms.collateralBySlug('t', '../admin')).resolves.toEqual({ state: 'missing' });
      await expect(cms.collateralBySlug('t', 'Upper_Case')).resolves.toEqual({ state: 'missing' });
      expect(calls).toHaveLength(1);
    });

    it('rejects an unknown standing instead of showing it as confirmed', async () => {
      const { cms } = client(() => json(200, { data: { ...item, standing: 'maybe' } }));
      await expect(cms.collateralBySlug('t', 'x')).rejects.toMatchObject({ code: 'bad_response' });
    });
  });

  describe('lists', () => {
    it('returns items and pagination', async () => {
      const { cms } = client(() => json(200, { data: [item], meta: { pagination: { page: 1, pageSize: 24, pageCount: 1, total: 1 } } }));
      const list = await cms.listCollateral('t', { kind: 'deck' });
      expect(list.items.map((i) => i.slug)).toEqual(['aurora-suite-launch-deck-2026']);
      expect(list.pagination.total).toBe(1);
    });

    it('counts without loading relations', async () => {
      const { cms, calls } = client(() => json(200, { data: [{ slug: 'a' }], meta: { pagination: { page: 1, pageSize: 1, pageCount: 3, total: 3 } } }));
      await expect(cms.countCollateral('t', { standing: 'scaled_back' })).resolves.toBe(3);
      const params = calls[0]!.url.searchParams;
      expect(params.get('filters[standing][$eq]')).toBe('scaled_back');
      expect([...params.keys()].some((k) => k.startsWith('populate'))).toBe(false);
    });

    it('lists products', async () => {
      const { cms } = client(() => json(200, { data: [{ id: 1, name: 'Aurora Pulse', slug: 'aurora-pulse' }], meta: { pagination: { page: 1, pageSize: 100, pageCount: 1, total: 1 } } }));
      await expect(cms.listProducts('t')).resolves.toEqual([{ name: 'Aurora Pulse', slug: 'aurora-pulse' }]);
    });
  });
});
