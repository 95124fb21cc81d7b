import { describe, expect, it, vi } from 'vitest';
import { createCmsClient } from './cms';
import { emptyFilters, HIGHLIGHT_POST, HIGHLIGHT_PRE, type SearchRequest } from './search';
import { buildQueries, runSearch, SearchUnavailableError, TokenCache, type MeiliQuery, type MeiliResult, type SearchBackend, type SearchToken } from './search-server';

const json = (status: number, body: unknown) => new Response(body === null ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const doc = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  slug: `item-${id}`,
  title: `Item ${id}`,
  kind: 'one_pager',
  kindLabel: 'One-pager',
  summary: `About ${id}`,
  stage: 'decision',
  products: ['Aurora Pulse'],
  regions: [],
  personas: [],
  claims: [],
  standing: 'confirmed',
  standingReason: null,
  nowTrue: null,
  needsReview: false,
  reviewNote: null,
  stale: false,
  version: 1,
  _formatted: { title: `${HIGHLIGHT_PRE}Item${HIGHLIGHT_POST} ${id}`, summary: `About ${id}` },
  ...over,
});

const truthOf = (id: string, over: Record<string, unknown> = {}) => ({
  documentId: id,
  published: true,
  slug: `item-${id}`,
  title: `Item ${id}`,
  standing: 'confirmed',
  standingReason: null,
  nowTrue: null,
  standingChangedAt: null,
  version: 1,
  needsReview: false,
  reviewNote: null,
  stale: false,
  replacedBy: null,
  ...over,
});

/**
 * A fake Strapi (token, truth, log) and a fake Meilisearch. `index` is what the index holds (it may
 * lag); `cms` is the truth.
 */
function fakeStack(opts: { index: ReturnType<typeof doc>[]; cms: Record<string, unknown>; tokenStatus?: number; truthStatus?: number; logStatus?: number; facets?: Record<string, Record<string, number>> }) {
  const calls: { path: string; url: URL; init: RequestInit }[] = [];
  let tokenNo = 0;
  const fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(String(input));
    calls.push({ path: url.pathname, url, init });
    if (url.pathname.endsWith('/search/token')) {
      if (opts.tokenStatus === 503) return json(503, { data: null, error: { status: 503, message: 'Search is not configured on this server (MEILI_URL is not set).' } });
      tokenNo++;
      return json(200, { data: { token: `tenant-${tokenNo}`, expiresAt: new Date(Date.now() + 900_000).toISOString(), url: 'http://meili.test:7700', indexName: 'collateral', filter: 'standing != retracted' } });
    }
    if (url.pathname.endsWith('/search/truth')) {
      if (opts.truthStatus) return json(opts.truthStatus, { error: { status: opts.truthStatus, message: 'boom' } });
      const ids = url.searchParams.get('ids')!.split(',');
      return json(200, { data: Object.fromEntries(ids.map((id) => [id, opts.cms[id] ?? { documentId: id, published: false }])), meta: { checkedAt: new Date().toISOString() } });
    }
    if (url.pathname.endsWith('/search/log')) return json(opts.logStatus ?? 204, opts.logStatus && opts.logStatus >= 400 ? { error: { status: opts.logStatus, message: 'nope' } } : null);
    return json(404, { error: { status: 404, message: 'Not Found' } });
  }) as typeof globalThis.fetch;
  const searches: { token: SearchToken; queries: MeiliQuery[]; url: string }[] = [];
  const backend: SearchBackend = async (token, queries, options) => {
    searches.push({ token, queries, url: options.url });
    return queries.map((q, i): MeiliResult => (i === 0 ? { hits: opts.index, totalHits: opts.index.length, totalPages: 1, facetDistribution: opts.facets ?? {} } : { hits: [], totalHits: opts.index.length, facetDistribution: opts.facets ?? {} }));
  };
  return { client: createCmsClient({ baseUrl: 'http://cms.test', fetch }), calls, backend, searches };
}

const req = (over: Partial<SearchRequest> = {}): SearchRequest => ({ q: 'natinal', filters: emptyFilters(), page: 1, ...over });
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('runSearch', () => {
  it('searches with the tenant token and shows hits only as the CMS has them (index lag: sync paused)', async () => {
    // The index still holds b as confirmed and c at all; the CMS retracted b and unpublished c, and scaled back a.
    const stack = fakeStack({
      index: [doc('a'), doc('b'), doc('c')],
      cms: {
        a: truthOf('a', { standing: 'scaled_back', nowTrue: 'Only cable spots.', standingReason: 'Budget cut.', version: 2 }),
        b: truthOf('b', { standing: 'retracted', standingReason: 'Offer ended.', replacedBy: { documentId: 'z', slug: 'item-z', title: 'Item z' } }),
      },
    });
    const view = await runSearch({ client: stack.client, jwt: 'rep-jwt', tokens: new TokenCache(), backend: stack.backend }, req(), { log: true });

    expect(stack.searches[0]!.token.token).toBe('tenant-1');
    expect(stack.searches[0]!.url).toBe('http://meili.test:7700');
    const truthCall = stack.calls.find((c) => c.path.endsWith('/search/truth'))!;
    expect(truthCall.url.searchParams.get('ids')).toBe('a,b,c');
    expect((truthCall.init.headers as Record<string, string>).authorization).toBe('Bearer rep-jwt');

    expect(view.results.map((r) => [r.id, r.state, r.badge.standing])).toEqual([
      ['a', 'current', 'scaled_back'],
      ['b', 'retracted', 'retracted'],
    ]);
    expect(view.results.filter((r) => r.state === 'current').map((r) => r.id)).not.toContain('b');
    expect(view.results[0]!.nowTrue).toBe('Only cable spots.');
    expect(view.results[1]!.replacedBy).toEqual({ title: 'Item z', href: '/collateral/item-z' });
    // Only a is a current result.
    expect(view.total).toBe(1);
    expect(view.href).toBe('/search?q=natinal');
    expect(view.logged).toBe(true);

    await flush();
    const log = stack.calls.find((c) => c.path.endsWith('/search/log'))!;
    expect(log.init.method).toBe('POST');
    expect(JSON.parse(String(log.init.body))).toEqual({ query: 'natinal', filters: {}, hitCount: 1 });
  });

  it('asks for highlights with private-use tags, crops the body, and counts facets disjunctively', async () => {
    const request = req({ filters: { ...emptyFilters(), kind: ['deck'], region: ['EMEA', 'APAC'] } });
    const queries = buildQueries('collateral', request);
    expect(queries).toHaveLength(3);
    expect(queries[0]!.query).toMatchObject({
      indexUid: 'collateral',
      q: 'natinal',
      filter: [['kind = "deck"'], ['regions = "EMEA"', 'regions = "APAC"']],
      facets: ['products', 'stage', 'personas', 'standing'],
      page: 1,
      hitsPerPage: 20,
      highlightPreTag: HIGHLIGHT_PRE,
      highlightPostTag: HIGHLIGHT_POST,
      attributesToCrop: ['body'],
      attributesToHighlight: ['title', 'summary', 'claims'],
    });
    // The files' passages are neither retrieved nor marked here (attachPassages asks for the few it needs).
    expect(queries[0]!.query.attributesToRetrieve).not.toContain('files');
    expect(queries[1]).toEqual({ query: { indexUid: 'collateral', q: 'natinal', filter: [['regions = "EMEA"', 'regions = "APAC"']], facets: ['kind'], page: 1, hitsPerPage: 0 }, facetsFor: ['kind'] });
    expect(queries[2]!.query.filter).toEqual([['kind = "deck"']]);

    const stack = fakeStack({ index: [doc('a')], cms: { a: truthOf('a') }, facets: { kind: { deck: 1, one_pager: 4 }, regions: { EMEA: 1 }, products: { 'Aurora Pulse': 1 } } });
    const view = await runSearch({ client: stack.client, jwt: 'j', tokens: new TokenCache(), backend: stack.backend }, request, { log: false });
    const kind = view.facets.find((f) => f.key === 'kind')!;
    expect(kind.options.map((o) => [o.value, o.count, o.selected])).toEqual([
      ['deck', 1, true],
      ['one_pager', 4, false],
    ]);
    expect(view.facets.find((f) => f.key === 'region')!.options.map((o) => o.value)).toEqual(['APAC', 'EMEA']);
    expect(view.logged).toBe(false);
    await flush();
    expect(stack.calls.some((c) => c.path.endsWith('/search/log'))).toBe(false);
  });

  it('reuses a session’s token until shortly before it expires; each session has its own', async () => {
    let now = Date.now();
    const tokens = new TokenCache({ now: () => now });
    const stack = fakeStack({ index: [], cms: {} });
    const deps = { client: stack.client, jwt: 'rep-jwt', tokens, backend: stack.backend };
    await Promise.all([runSearch(deps, req(), { log: false }), runSearch(deps, req(), { log: false })]);
    await runSearch(deps, req(), { log: false });
    expect(stack.calls.filter((c) => c.path.endsWith('/search/token'))).toHaveLength(1);
    // Another rep gets their own token.
    await runSearch({ ...deps, jwt: 'other-jwt' }, req(), { log: false });
    expect(stack.calls.filter((c) => c.path.endsWith('/search/token'))).toHaveLength(2);
    expect(tokens.size).toBe(2);
    // 14 minutes later the 15-minute token is near its end: a new one is fetched.
    now += 14 * 60_000;
    await runSearch(deps, req(), { log: false });
    expect(stack.calls.filter((c) => c.path.endsWith('/search/token'))).toHaveLength(3);
    expect(stack.searches.at(-1)!.token.token).toBe('tenant-3');
  });

  it('fetches a new token once when Meilisearch refuses the cached one', async () => {
    const stack = fakeStack({ index: [doc('a')], cms: { a: truthOf('a') } });
    let refusals = 1;
    const backend: SearchBackend = async (token, queries, options) => {
      if (refusals-- > 0) throw Object.assign(new Error('The provided API key is invalid.'), { cause: { code: 'invalid_api_key' }, response: { status: 403 } });
      return stack.backend(token, queries, options);
    };
    const view = await runSearch({ client: stack.client, jwt: 'j', tokens: new TokenCache(), backend }, req(), { log: false });
    expect(view.results).toHaveLength(1);
    expect(stack.searches[0]!.token.token).toBe('tenant-2');
  });

  it('says search is unavailable when Strapi has search off or Meilisearch fails', async () => {
    const off = fakeStack({ index: [], cms: {}, tokenStatus: 503 });
    const err = await runSearch({ client: off.client, jwt: 'j', tokens: new TokenCache(), backend: off.backend }, req(), { log: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SearchUnavailableError);
    expect((err as Error).message).toContain('MEILI_URL');

    const down = fakeStack({ index: [], cms: {} });
    const failing: SearchBackend = async () => {
      throw new Error('connect ECONNREFUSED');
    };
    await expect(runSearch({ client: down.client, jwt: 'j', tokens: new TokenCache(), backend: failing }, req(), { log: true })).rejects.toBeInstanceOf(SearchUnavailableError);
  });

  it('does not show unchecked hits when the truth overlay fails', async () => {
    const stack = fakeStack({ index: [doc('a')], cms: {}, truthStatus: 500 });
    await expect(runSearch({ client: stack.client, jwt: 'j', tokens: new TokenCache(), backend: stack.backend }, req(), { log: false })).rejects.toMatchObject({ code: 'server_error' });
  });

  it('a failing search log never fails the search', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const stack = fakeStack({ index: [], cms: {}, logStatus: 500 });
    const view = await runSearch({ client: stack.client, jwt: 'j', tokens: new TokenCache(), backend: stack.backend }, req({ q: 'nothing like this' }), { log: true });
    expect(view.total).toBe(0);
    expect(view.logged).toBe(true);
    await flush();
    await flush();
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('search log'));
    errors.mockRestore();
  });

  it('asks for file passages only for the hits whose shown fields did not match, in a second small search', async () => {
    const M = (w: string) => `${HIGHLIGHT_PRE}${w}${HIGHLIGHT_POST}`;
    // a matched in its title; b only inside its deck.
    const index = [doc('a', { _formatted: { title: `${M('National')} plan` } }), doc('b', { _formatted: { title: 'Item b', summary: 'About b' } })];
    const stack = fakeStack({ index, cms: { a: truthOf('a'), b: truthOf('b') } });
    const passages: MeiliQuery[] = [];
    const backend: SearchBackend = async (token, queries, options) => {
      if (queries[0]!.attributesToRetrieve && (queries[0]!.attributesToRetrieve as string[]).length === 1) {
        passages.push(...queries);
        return [{ hits: [{ id: 'b', _formatted: { files: [{ label: 'Slide 7', index: '7', file: 'Deck_b1.pptx', kind: 'pptx', text: `The ${M('national')} campaign` }] } }] }];
      }
      return stack.backend(token, queries, options);
    };
    const view = await runSearch({ client: stack.client, jwt: 'rep-jwt', tokens: new TokenCache(), backend }, req({ q: 'national' }), { log: false });
    expect(passages).toHaveLength(1);
    expect(passages[0]).toMatchObject({ q: 'national', filter: [['id IN ["b"]']], limit: 1, attributesToCrop: ['files.text'] });
    // The page's own query marks no file text.
    expect(stack.searches[0]!.queries[0]!.attributesToHighlight).toEqual(['title', 'summary', 'claims']);
    expect(view.results.find((r) => r.id === 'a')!.passage).toBeNull();
    expect(view.results.find((r) => r.id === 'b')!.passage).toMatchObject({ label: 'Slide 7', href: '/collateral/item-b/download/Deck_b1.pptx' });
  });

  it('shows the results without passages when the passages search fails', async () => {
    const stack = fakeStack({ index: [doc('b', { _formatted: { title: 'Item b' } })], cms: { b: truthOf('b') } });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const backend: SearchBackend = async (token, queries, options) => {
      if ((queries[0]!.attributesToRetrieve as string[] | undefined)?.length === 1) throw new Error('Meilisearch hiccup');
      return stack.backend(token, queries, options);
    };
    const view = await runSearch({ client: stack.client, jwt: 'rep-jwt', tokens: new TokenCache(), backend }, req(), { log: false });
    expect(view.results.map((r) => [r.id, r.passage])).toEqual([['b', null]]);
    errors.mockRestore();
  });
});
