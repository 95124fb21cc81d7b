/**
 * The portal's only way to Strapi: a small typed client, server-side only. Every response is checked
 * with zod at this boundary, and every failure is a {@link CmsError}, so pages deal with one error
 * family and never with raw fetch errors or unexpected JSON.
 */
import { z } from 'astro/zod';
import {
  collateralCountResponseSchema,
  collateralGoneResponseSchema,
  collateralListResponseSchema,
  collateralResponseSchema,
  describeIssues,
  STANDINGS,
  taxonListResponseSchema,
  type CollateralClaim as Claim,
  type Collateral,
  type CollateralKind,
  type CollateralSummary,
  type Media,
  type Pagination,
  type Taxon,
  type Tombstone,
} from '@candor/change-notices/contracts';

/** Standings an item can have and still be listed. */
export const CURRENT_STANDINGS = STANDINGS.filter((s): s is Exclude<(typeof STANDINGS)[number], 'retracted'> => s !== 'retracted');
export type CurrentStanding = (typeof CURRENT_STANDINGS)[number];

/** Why a CMS call failed, in terms a page can act on. */
export type CmsErrorCode =
  /** Strapi could not be reached (connection refused, DNS, reset). */
  | 'unreachable'
  /** Strapi did not answer within the configured time. */
  | 'timeout'
  /** The JWT is missing, expired or revoked (HTTP 401). */
  | 'unauthorized'
  /** The account may not do this (HTTP 403). */
  | 'forbidden'
  /** Sign-in with a wrong identifier or password. */
  | 'invalid_credentials'
  /** Strapi's rate limiter said stop (HTTP 429). */
  | 'rate_limited'
  /** Strapi refused the request as invalid (HTTP 400), with its message. */
  | 'rejected'
  /** Strapi failed (HTTP 5xx) or answered with a status the portal does not expect. */
  | 'server_error'
  /** Strapi answered, but not in the shape the portal expects (deployment skew, proxy error page). */
  | 'bad_response';

/** The one error type the CMS client throws. */
export class CmsError extends Error {
  override name = 'CmsError';
  /** What went wrong, for deciding what the rep sees. */
  readonly code: CmsErrorCode;
  /** The HTTP status Strapi answered with, or null when it never answered. */
  readonly status: number | null;

  constructor(code: CmsErrorCode, message: string, options: { status?: number | null; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status ?? null;
  }
}

// ---------------------------------------------------------------------------------------------------
// Response schemas. The collateral API's are shared contracts (`@candor/change-notices/contracts`,
// app/collateral.ts); the CMS shapes its by-slug read with the same one. Unknown fields are dropped;
// missing optional ones become null so views need no `undefined` checks. Sign-in and the user are
// Strapi's own (users-permissions): nothing of ours sends them, so their shapes are written here.

const userSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  email: z.string(),
});
export type CmsUser = z.infer<typeof userSchema>;

const signInSchema = z.object({ jwt: z.string().min(1), user: userSchema });
export type SignIn = z.infer<typeof signInSchema>;

export type { Claim, Collateral, CollateralKind, CollateralSummary, Media, Pagination, Taxon, Tombstone };

const strapiErrorSchema = z.object({
  error: z.object({
    status: z.number().optional(),
    name: z.string().optional(),
    message: z.string().optional(),
    details: z.unknown().optional(),
  }),
});

// ---------------------------------------------------------------------------------------------------

/** What a slug resolves to: current material, a retracted item's tombstone, or nothing. */
export type CollateralLookup = { state: 'current'; item: Collateral } | { state: 'retracted'; tombstone: Tombstone } | { state: 'missing' };

/** Filters the rep can apply to the collateral list. */
export interface CollateralQuery {
  page?: number;
  pageSize?: number;
  /** Narrows to one current standing; retracted items are never listed. */
  standing?: CurrentStanding;
  kind?: CollateralKind;
  /** A product slug. */
  product?: string;
  /** Words to find in the title or summary. */
  q?: string;
}

/** Slugs Strapi's by-slug route accepts; anything else cannot exist. */
export const SLUG_PATTERN = /^[a-z0-9-]{1,200}$/;

type QueryValue = string | number | boolean | QueryValue[] | { [key: string]: QueryValue | undefined };

/**
 * Encodes a nested object the way Strapi's `qs` parser reads it: `{filters:{slug:{$eq:'a'}}}` becomes
 * `filters[slug][$eq]=a` (brackets percent-encoded by URLSearchParams). Undefined values are left out.
 */
export function toStrapiQuery(query: Record<string, QueryValue | undefined>): URLSearchParams {
  const params = new URLSearchParams();
  const walk = (prefix: string, value: QueryValue | undefined) => {
    if (value === undefined) return;
    if (Array.isArray(value)) value.forEach((v, i) => walk(`${prefix}[${i}]`, v));
    else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(`${prefix}[${k}]`, v);
    else params.append(prefix, String(value));
  };
  for (const [key, value] of Object.entries(query)) walk(key, value);
  return params;
}

const LIST_FIELDS = ['title', 'slug', 'kind', 'summary', 'standing', 'standingReason', 'nowTrue', 'standingChangedAt', 'needsReview', 'reviewNote', 'reviewBy', 'updatedAt', 'publishedAt'];
const COVER_FIELDS = ['name', 'url', 'alternativeText', 'mime', 'size', 'width', 'height', 'formats'];

/** The Strapi query for one page of current (not retracted) collateral, newest first. */
export function collateralListQuery(query: CollateralQuery): URLSearchParams {
  const q = query.q?.trim();
  return toStrapiQuery({
    fields: LIST_FIELDS,
    // Explicit even though the CMS adds it by default: the portal must never list retracted items.
    filters: {
      standing: query.standing ? { $eq: query.standing } : { $ne: 'retracted' },
      kind: query.kind ? { $eq: query.kind } : undefined,
      products: query.product ? { slug: { $eq: query.product } } : undefined,
      $or: q ? [{ title: { $containsi: q } }, { summary: { $containsi: q } }] : undefined,
    },
    sort: ['updatedAt:desc', 'title:asc'],
    populate: {
      products: { fields: ['name', 'slug'] },
      cover: { fields: COVER_FIELDS },
    },
    pagination: { page: query.page ?? 1, pageSize: query.pageSize ?? 24 },
  });
}

export interface CmsClientOptions {
  /** Strapi's base URL, e.g. http://127.0.0.1:1337. */
  baseUrl: string;
  /** Milliseconds before a request counts as unanswered. */
  timeoutMs?: number;
  /** Injected in tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

interface RawResponse {
  status: number;
  body: unknown;
}

/** Creates a client for one Strapi; cheap, so one per request is fine. */
export function createCmsClient(options: CmsClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;

  async function send(
    path: string,
    init: { jwt?: string; method?: 'GET' | 'POST' | 'PUT'; json?: unknown; query?: URLSearchParams; clientIp?: string } = {}
  ): Promise<RawResponse> {
    const url = `${baseUrl}${path}${init.query && init.query.size > 0 ? `?${init.query}` : ''}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (init.jwt) headers.authorization = `Bearer ${init.jwt}`;
    if (init.clientIp) headers['x-forwarded-for'] = init.clientIp;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await doFetch(url, {
        method: init.method ?? 'GET',
        headers,
        body: init.json === undefined ? undefined : JSON.stringify(init.json),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw timedOut
        ? new CmsError('timeout', `The CMS did not answer within ${timeoutMs} ms (${path}).`, { cause: err })
        : new CmsError('unreachable', `The CMS at ${baseUrl} could not be reached (${path}).`, { cause: err });
    }
    const text = await res.text().catch((err: unknown) => {
      throw new CmsError('unreachable', `The CMS connection broke while reading ${path}.`, { status: res.status, cause: err });
    });
    let body: unknown = null;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch (err) {
        throw new CmsError('bad_response', `The CMS answered ${res.status} with something other than JSON (${path}).`, { status: res.status, cause: err });
      }
    }
    return { status: res.status, body };
  }

  /** Turns a non-2xx answer into the matching CmsError. */
  function failure(res: RawResponse, path: string): CmsError {
    const parsed = strapiErrorSchema.safeParse(res.body);
    const message = parsed.success ? parsed.data.error.message : undefined;
    const detail = message ? `: ${message}` : '';
    const status = res.status;
    if (status === 401) return new CmsError('unauthorized', `The CMS refused the session${detail}`, { status });
    if (status === 403) return new CmsError('forbidden', `The CMS does not allow this account to read ${path}${detail}`, { status });
    if (status === 429) return new CmsError('rate_limited', `The CMS asks to slow down${detail}`, { status });
    if (status === 400) return new CmsError('rejected', message ?? `The CMS rejected the request to ${path}.`, { status });
    return new CmsError('server_error', `The CMS answered ${status} for ${path}${detail}`, { status });
  }

  function parse<T extends z.ZodType>(schema: T, res: RawResponse, path: string): z.infer<T> {
    const parsed = schema.safeParse(res.body);
    if (!parsed.success) {
      throw new CmsError('bad_response', `The CMS answer for ${path} has an unexpected shape (${describeIssues(parsed.error)}).`, { status: res.status, cause: parsed.error });
    }
    return parsed.data;
  }

  return {
    /** The same transport, error mapping and zod check, for the clients beside this one (notices.ts). */
    transport: { send, failure, parse },

    /**
     * Signs a rep in with email (or username) and password. `clientIp` is passed on as
     * X-Forwarded-For: Strapi rate-limits sign-in per IP, and every sign-in comes from the portal, so
     * only a Strapi that trusts this header (server `proxy` setting) limits each rep on their own.
     * @throws CmsError `invalid_credentials` for a wrong pair; `rejected` with Strapi's message for
     *   other refusals (blocked account); `rate_limited`; `unreachable`/`timeout`.
     */
    async signIn(identifier: string, password: string, options: { clientIp?: string } = {}): Promise<SignIn> {
      const path = '/api/auth/local';
      const res = await send(path, { method: 'POST', json: { identifier, password }, clientIp: options.clientIp });
      if (res.status === 200) return parse(signInSchema, res, path);
      const err = failure(res, path);
      if (err.code === 'rejected' && /invalid identifier or password/i.test(err.message)) {
        throw new CmsError('invalid_credentials', 'Invalid identifier or password.', { status: res.status });
      }
      throw err;
    },

    /** The signed-in rep. @throws CmsError `unauthorized` when the JWT is no longer valid. */
    async me(jwt: string): Promise<CmsUser> {
      const path = '/api/users/me';
      const res = await send(path, { jwt });
      if (res.status === 200) return parse(userSchema, res, path);
      throw failure(res, path);
    },

    /** One page of current collateral (retracted items excluded), newest first. */
    async listCollateral(jwt: string, query: CollateralQuery = {}): Promise<{ items: CollateralSummary[]; pagination: Pagination }> {
      const path = '/api/collaterals';
      const res = await send(path, { jwt, query: collateralListQuery(query) });
      if (res.status !== 200) throw failure(res, path);
      const { data, meta } = parse(collateralListResponseSchema, res, path);
      return { items: data, pagination: meta.pagination };
    },

    /** How many current items match, without loading them (e.g. how many are scaled back). */
    async countCollateral(jwt: string, query: Omit<CollateralQuery, 'page' | 'pageSize'> = {}): Promise<number> {
      const path = '/api/collaterals';
      const params = collateralListQuery({ ...query, page: 1, pageSize: 1 });
      // Only the total is needed: no relations, one field.
      for (const key of [...params.keys()]) if (key.startsWith('populate') || key.startsWith('fields')) params.delete(key);
      params.set('fields[0]', 'slug');
      const res = await send(path, { jwt, query: params });
      if (res.status !== 200) throw failure(res, path);
      return parse(collateralCountResponseSchema, res, path).meta.pagination.total;
    },

    /**
     * An item by slug with everything its page shows. Retracted items come back as their tombstone
     * (Strapi answers 410); unknown or malformed slugs as `missing`.
     */
    async collateralBySlug(jwt: string, slug: string): Promise<CollateralLookup> {
      if (!SLUG_PATTERN.test(slug)) return { state: 'missing' };
      const path = `/api/collaterals/by-slug/${slug}`;
      const res = await send(path, { jwt });
      if (res.status === 200) return { state: 'current', item: parse(collateralResponseSchema, res, path).data };
      if (res.status === 404) return { state: 'missing' };
      if (res.status === 410) {
        const gone = parse(collateralGoneResponseSchema, res, path);
        return { state: 'retracted', tombstone: gone.error.details.tombstone };
      }
      throw failure(res, path);
    },

    /** Every product, by name, for the list filter. */
    async listProducts(jwt: string): Promise<Taxon[]> {
      const path = '/api/products';
      const res = await send(path, { jwt, query: toStrapiQuery({ fields: ['name', 'slug'], sort: ['name:asc'], pagination: { pageSize: 100 } }) });
      if (res.status !== 200) throw failure(res, path);
      return parse(taxonListResponseSchema, res, path).data;
    },
  };
}

export type CmsClient = ReturnType<typeof createCmsClient>;
