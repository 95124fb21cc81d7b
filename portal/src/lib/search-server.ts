/**
 * Search: the server half. The rep's tenant token from Strapi (cached per session until shortly
 * before it expires), one multi-search in Meilisearch (results plus disjunctive facet counts), the
 * truth overlay from Strapi before anything is shown, and the search log. Same rules as `cms.ts`:
 * server-side only, Strapi's answers checked with zod, Strapi failures are `CmsError`s; Meilisearch
 * failures are {@link SearchUnavailableError}s. Browsers never see a Meilisearch key: the page and
 * `/api/search` both call {@link runSearch}.
 */
import { createHash } from 'node:crypto';
import { z } from 'astro/zod';
import {
  passagesFilter,
  SEARCH_DISPLAY,
  SEARCH_HTTP_HEADERS,
  SEARCH_PASSAGES,
  searchHitSchema,
  searchTokenResponseSchema,
  TRUTH_MAX_IDS,
  truthResponseSchema,
  type SearchLogInput,
  type SearchToken,
  type TruthItem,
} from '@candor/change-notices/contracts';
import type { CmsClient } from './cms';
import { getConfig } from './config';
import { logFailure } from './problems';
import {
  applyTruth,
  facetViews,
  HIGHLIGHT_POST,
  HIGHLIGHT_PRE,
  isBlank,
  loggedFilters,
  matchedInFields,
  meiliFilter,
  SEARCH_FACET_GROUPS,
  SEARCH_PAGE_SIZE,
  searchHref,
  type FacetKey,
  type IndexHit,
  type SearchRequest,
  type SearchView,
} from './search';

const BASE = '/api/change-notices/search';

/** Search cannot answer now (not configured, Meilisearch down or refusing): the page says so. */
export class SearchUnavailableError extends Error {
  override name = 'SearchUnavailableError';
}

// ---------------------------------------------------------------------------------------------------
// Strapi: token, truth, log

// Strapi's answers are checked with the plugin's contracts, the schemas its search controller shapes them with.
export type { SearchToken };

/** A tenant token for the rep. @throws SearchUnavailableError when Strapi says search is off or down. */
export async function fetchSearchToken(client: CmsClient, jwt: string): Promise<SearchToken> {
  const path = `${BASE}/token`;
  const res = await client.transport.send(path, { jwt });
  if (res.status === 503) {
    const message = z.object({ error: z.object({ message: z.string() }) }).safeParse(res.body);
    throw new SearchUnavailableError(message.success ? message.data.error.message : 'Search is unavailable right now.');
  }
  if (res.status !== 200) throw client.transport.failure(res, path);
  return client.transport.parse(searchTokenResponseSchema, res, path).data;
}

/** The CMS's current truth for up to {@link TRUTH_MAX_IDS} collateral documentIds. */
export async function fetchTruth(client: CmsClient, jwt: string, ids: string[]): Promise<Record<string, TruthItem>> {
  if (ids.length === 0) return {};
  if (ids.length > TRUTH_MAX_IDS) throw new RangeError(`At most ${TRUTH_MAX_IDS} ids per truth call`);
  const path = `${BASE}/truth`;
  const res = await client.transport.send(path, { jwt, query: new URLSearchParams({ ids: ids.join(',') }) });
  if (res.status !== 200) throw client.transport.failure(res, path);
  return client.transport.parse(truthResponseSchema, res, path).data;
}

/** Records a search (zero-result ones become content requests for marketing). */
export async function logSearch(client: CmsClient, jwt: string, input: SearchLogInput): Promise<void> {
  const path = `${BASE}/log`;
  const res = await client.transport.send(path, { jwt, method: 'POST', json: input });
  if (res.status !== 204 && res.status !== 200) throw client.transport.failure(res, path);
}

// ---------------------------------------------------------------------------------------------------
// Tenant tokens, per session

/** A token is renewed this long before it expires (Strapi asks for a minute). */
const RENEW_BEFORE_MS = 90_000;
const MAX_SESSIONS = 1000;

/**
 * Tenant tokens by session (keyed by a hash of the rep's JWT, never the JWT itself), reused until
 * shortly before they expire. Concurrent searches of one session share one token request.
 */
export class TokenCache {
  readonly #entries = new Map<string, Promise<SearchToken>>();
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  #key(jwt: string) {
    return createHash('sha256').update(jwt).digest('base64url');
  }

  async get(jwt: string, load: () => Promise<SearchToken>): Promise<SearchToken> {
    const key = this.#key(jwt);
    const cached = this.#entries.get(key);
    if (cached) {
      const token = await cached.catch(() => null);
      if (token && Date.parse(token.expiresAt) - RENEW_BEFORE_MS > this.#now()) return token;
      if (this.#entries.get(key) === cached) this.#entries.delete(key);
      else return this.get(jwt, load);
    }
    const pending = load();
    this.#entries.set(key, pending);
    pending.catch(() => {
      if (this.#entries.get(key) === pending) this.#entries.delete(key);
    });
    this.#evict();
    return pending;
  }

  /** Forgets a session's token (Meilisearch refused it: the search key was rotated). */
  forget(jwt: string): void {
    this.#entries.delete(this.#key(jwt));
  }

  get size(): number {
    return this.#entries.size;
  }

  #evict() {
    // Oldest first (Map keeps insertion order); sessions that searched again were re-inserted on renewal.
    while (this.#entries.size > MAX_SESSIONS) this.#entries.delete(this.#entries.keys().next().value!);
  }
}

// ---------------------------------------------------------------------------------------------------
// Meilisearch

/** One query of a multi-search, as Meilisearch takes it. */
export interface MeiliQuery {
  indexUid: string;
  q: string;
  filter?: string[][];
  facets?: string[];
  page?: number;
  hitsPerPage?: number;
  [key: string]: unknown;
}

/** One result of a multi-search; only what the portal reads. */
export interface MeiliResult {
  hits: unknown[];
  totalHits?: number;
  totalPages?: number;
  facetDistribution?: Record<string, Record<string, number>>;
}

/** Sends a multi-search with the tenant token. Throws an error with `status` when Meilisearch refuses. */
export type SearchBackend = (token: SearchToken, queries: MeiliQuery[], options: { url: string; timeoutMs: number }) => Promise<MeiliResult[]>;

/** The real backend: the official client, uncompressed responses (see SEARCH_HTTP_HEADERS). */
export const meilisearchBackend: SearchBackend = async (token, queries, options) => {
  const { Meilisearch } = await import('meilisearch');
  const client = new Meilisearch({ host: options.url, apiKey: token.token, timeout: options.timeoutMs, requestInit: { headers: { ...SEARCH_HTTP_HEADERS } } });
  const answer = await client.multiSearch({ queries: queries as never });
  return answer.results as unknown as MeiliResult[];
};

const resultSchema = z.object({
  hits: z.array(z.unknown()),
  totalHits: z.number().int().nullish(),
  totalPages: z.number().int().nullish(),
  facetDistribution: z.record(z.string(), z.record(z.string(), z.number())).nullish(),
});

/** A Meilisearch error that means "this token is no good" (expired, key deleted or rotated). */
function isAuthRefusal(err: unknown): boolean {
  const e = err as { cause?: { code?: string }; response?: { status?: number }; status?: number } | null;
  const status = e?.response?.status ?? e?.status;
  const code = e?.cause?.code;
  return status === 401 || status === 403 || code === 'invalid_api_key' || code === 'missing_authorization_header';
}

// ---------------------------------------------------------------------------------------------------

export interface SearchDeps {
  client: CmsClient;
  /** The rep's Strapi JWT. */
  jwt: string;
  tokens: TokenCache;
  backend?: SearchBackend;
  /** Meilisearch as this server reaches it (MEILI_URL); Strapi's `url` with the token otherwise. */
  meiliUrl?: string | null;
  timeoutMs?: number;
}

/**
 * Runs one search for a rep: token, Meilisearch, truth overlay, and (when `log`) the search log. The log
 * is sent without waiting for it, and its failure is only logged: it never fails the search.
 * @throws SearchUnavailableError when search is off or Meilisearch fails; CmsError for Strapi failures
 *   (the overlay must answer before anything is shown).
 */
export async function runSearch(deps: SearchDeps, request: SearchRequest, options: { log: boolean }): Promise<SearchView> {
  const backend = deps.backend ?? meilisearchBackend;
  const timeoutMs = deps.timeoutMs ?? 5_000;

  const search = async (retry: boolean): Promise<{ results: MeiliResult[]; queries: ReturnType<typeof buildQueries>; token: SearchToken }> => {
    const token = await deps.tokens.get(deps.jwt, () => fetchSearchToken(deps.client, deps.jwt));
    const queries = buildQueries(token.indexName, request);
    try {
      const results = await backend(token, queries.map((q) => q.query), { url: deps.meiliUrl ?? token.url, timeoutMs });
      return { results, queries, token };
    } catch (err) {
      if (isAuthRefusal(err) && retry) {
        deps.tokens.forget(deps.jwt);
        return search(false);
      }
      throw new SearchUnavailableError(`Meilisearch did not answer the search: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  };

  const { results, queries, token } = await search(true);
  const parsed = results.map((r, i) => {
    const ok = resultSchema.safeParse(r);
    if (!ok.success) throw new SearchUnavailableError(`Meilisearch answered query ${i} in an unexpected shape`, { cause: ok.error });
    return ok.data;
  });
  const main = parsed[0];
  if (!main || parsed.length !== queries.length) throw new SearchUnavailableError('Meilisearch answered with the wrong number of results');

  const hits: IndexHit[] = [];
  for (const raw of main.hits) {
    const hit = searchHitSchema.safeParse(raw);
    // A document the portal cannot read is left out rather than failing the whole search.
    if (hit.success) hits.push(hit.data);
  }

  // The passages of hits that matched only inside a file, asked for while the CMS checks the truth.
  const [truth] = await Promise.all([
    fetchTruth(deps.client, deps.jwt, hits.map((h) => h.id)),
    attachPassages(hits, request.q, token, (queries) => backend(token, queries, { url: deps.meiliUrl ?? token.url, timeoutMs })),
  ]);
  const { results: shown, dropped } = applyTruth(hits, truth, { standingFilter: request.filters.standing });
  const current = shown.filter((r) => r.state === 'current').length;
  const totalHits = main.totalHits ?? hits.length;
  // Hits the CMS would not let us show leave the count too (on this page; later pages check their own).
  const total = Math.max(0, totalHits - dropped - (shown.length - current));

  const distributions: Partial<Record<FacetKey, Record<string, number>>> = {};
  queries.forEach((q, i) => {
    for (const key of q.facetsFor) {
      const attribute = SEARCH_FACET_GROUPS.find((g) => g.key === key)!.attribute;
      distributions[key] = parsed[i]?.facetDistribution?.[attribute] ?? {};
    }
  });

  const logged = options.log && !isBlank(request);
  if (logged) {
    logSearch(deps.client, deps.jwt, { query: request.q, filters: loggedFilters(request.filters), hitCount: total }).catch((err: unknown) => logFailure('search log', err));
  }

  return {
    request,
    href: searchHref(request),
    results: shown,
    total,
    page: request.page,
    pageCount: Math.max(main.totalPages ?? Math.ceil(totalHits / SEARCH_PAGE_SIZE), 0),
    facets: facetViews(distributions, request.filters),
    logged,
  };
}

/**
 * Second, small search: for the hits whose shown fields did not match, the same query over only those
 * ids, with their file passages marked and cropped (SEARCH_PASSAGES), copied into each hit's
 * `_formatted.files`. Marking file text for every hit of the page is what made searches slow at
 * scale; few hits match only inside a file. If it fails, the results show without passages.
 */
/** What a search returns and marks (SEARCH_DISPLAY, SEARCH_PASSAGES), with the portal's highlight tags. */
function displayed(display: { attributesToRetrieve: readonly string[]; attributesToHighlight: readonly string[]; attributesToCrop: readonly string[]; cropLength: number }) {
  return {
    attributesToRetrieve: [...display.attributesToRetrieve],
    attributesToHighlight: [...display.attributesToHighlight],
    attributesToCrop: [...display.attributesToCrop],
    cropLength: display.cropLength,
    highlightPreTag: HIGHLIGHT_PRE,
    highlightPostTag: HIGHLIGHT_POST,
  };
}

const passageHitSchema = searchHitSchema.pick({ id: true, _formatted: true });

export async function attachPassages(hits: IndexHit[], q: string, token: SearchToken, send: (queries: MeiliQuery[]) => Promise<MeiliResult[]>): Promise<void> {
  const wanting = hits.filter((h) => !matchedInFields(h, q));
  if (!wanting.length || !q.trim()) return;
  let answer: MeiliResult[];
  try {
    answer = await send([
      {
        indexUid: token.indexName,
        q,
        filter: [[passagesFilter(wanting.map((h) => h.id))]],
        limit: wanting.length,
        ...displayed(SEARCH_PASSAGES),
      },
    ]);
  } catch (err) {
    logFailure('file passages of a search', err);
    return;
  }
  const byId = new Map(wanting.map((h) => [h.id, h]));
  for (const raw of answer[0]?.hits ?? []) {
    const found = passageHitSchema.safeParse(raw);
    if (!found.success) continue;
    const hit = byId.get(found.data.id);
    const files = found.data._formatted?.files;
    if (hit && files) hit._formatted = { ...(hit._formatted ?? {}), files };
  }
}

/**
 * The multi-search for a request: the page of results with the counts of every facet nothing is
 * selected in, then one count-only query per facet with a selection, without that selection (so the
 * counts say what ticking another value would add).
 */
export function buildQueries(indexUid: string, request: SearchRequest): { query: MeiliQuery; facetsFor: FacetKey[] }[] {
  const selected = SEARCH_FACET_GROUPS.filter((g) => request.filters[g.key].length > 0);
  const unselected = SEARCH_FACET_GROUPS.filter((g) => request.filters[g.key].length === 0);
  const filter = meiliFilter(request.filters);
  const main: MeiliQuery = {
    indexUid,
    q: request.q,
    ...(filter.length ? { filter } : {}),
    facets: unselected.map((g) => g.attribute),
    page: request.page,
    hitsPerPage: SEARCH_PAGE_SIZE,
    ...displayed(SEARCH_DISPLAY),
  };
  return [
    { query: main, facetsFor: unselected.map((g) => g.key) },
    ...selected.map((g) => {
      const others = meiliFilter(request.filters, g.key);
      return {
        query: { indexUid, q: request.q, ...(others.length ? { filter: others } : {}), facets: [g.attribute], page: 1, hitsPerPage: 0 },
        facetsFor: [g.key],
      };
    }),
  ];
}

// ---------------------------------------------------------------------------------------------------

const processTokens = new TokenCache();

/** {@link runSearch} with the process's token cache and configuration: what the page and `/api/search` call. */
export function searchForRep(client: CmsClient, jwt: string, request: SearchRequest, options: { log: boolean }): Promise<SearchView> {
  const config = getConfig();
  return runSearch({ client, jwt, tokens: processTokens, meiliUrl: config.meiliUrl, timeoutMs: config.cmsTimeoutMs }, request, options);
}
