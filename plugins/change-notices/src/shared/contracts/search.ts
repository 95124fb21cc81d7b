import type { SearchPassage } from './files';
import { z } from 'zod';
import { personText } from './text';
import { COLLATERAL_KINDS } from './app/collateral';
import { nullableText } from './response';
import { STANDINGS, type Standing } from './standing';

/**
 * Search contracts shared by the CMS (which keeps the Meilisearch index) and the portal (which searches
 * it with a tenant token and checks every hit against the CMS before showing it).
 */

/** Filterable attributes of the index: the portal's facets and filters. */
export const SEARCH_FACETS = ['products', 'regions', 'personas', 'kind', 'stage', 'standing', 'needsReview', 'stale', 'claims.standing'] as const;
export type SearchFacet = (typeof SEARCH_FACETS)[number];

/** How a collateral kind reads in a result list (and what "one-pager" searches match). */
export const COLLATERAL_KIND_LABELS: Record<(typeof COLLATERAL_KINDS)[number], string> = {
  deck: 'Deck',
  one_pager: 'One-pager',
  battlecard: 'Battlecard',
  case_study: 'Case study',
  pricing_sheet: 'Pricing sheet',
  email_template: 'Email template',
  talk_track: 'Talk track',
  video: 'Video',
};

/** Sortable attributes (dates are epoch milliseconds). */
export const SEARCH_SORTS = ['publishedAt', 'updatedAt', 'title'] as const;

/** One claim as a search document carries it: enough to show "this claim was scaled back" on a hit. */
export interface SearchClaim {
  documentId: string;
  statement: string;
  standing: Standing;
  nowTrue: string | null;
}

/**
 * One current, published, non-retracted collateral in the index. `version` is the CMS version number
 * and `rev` a short hash of everything that can change without a new version (claims, review flags,
 * product names): together they let the reconcile job find drift without re-reading every body.
 */
export interface SearchDocument {
  /** The collateral's documentId (Meilisearch primary key). */
  id: string;
  slug: string;
  title: string;
  kind: string;
  /** Readable kind ("One-pager"), searchable. */
  kindLabel: string;
  summary: string;
  /** The body as plain text (markdown removed), for matching and cropping. */
  body: string;
  /** Funnel stage. */
  stage: string | null;
  products: string[];
  regions: string[];
  personas: string[];
  claims: SearchClaim[];
  standing: Exclude<Standing, 'retracted'>;
  standingReason: string | null;
  nowTrue: string | null;
  needsReview: boolean;
  reviewNote: string | null;
  stale: boolean;
  coverUrl: string | null;
  /** The text of the item's files, page by page (searchable after every typed field). */
  files: SearchPassage[];
  version: number;
  publishedAt: number;
  updatedAt: number;
  standingChangedAt: number | null;
  rev: string;
}

/**
 * Search parameters the portal should send with every query: highlight and crop what a result list
 * shows, leave the full body out of the response (crop it instead).
 */
export const SEARCH_DISPLAY = {
  attributesToRetrieve: [
    'id', 'slug', 'title', 'kind', 'kindLabel', 'summary', 'stage', 'products', 'regions', 'personas', 'claims', 'standing',
    'standingReason', 'nowTrue', 'needsReview', 'reviewNote', 'stale', 'coverUrl', 'version', 'publishedAt', 'updatedAt',
  ],
  // `claims`, not `claims.statement`: Meilisearch 1.21 does not highlight a field inside an array of
  // objects asked for by path (no `_formatted` at all); asking for the array marks its statements.
  // Files' passages are not marked here (SEARCH_PASSAGES): finding the matches in every hit's ~28 K
  // characters of file text made a page of results 5–9× slower at 10,000 items (bench:search).
  attributesToHighlight: ['title', 'summary', 'claims'],
  attributesToCrop: ['body'],
  cropLength: 28,
  highlightPreTag: '<mark>',
  highlightPostTag: '</mark>',
  facets: ['products', 'regions', 'personas', 'kind', 'stage', 'standing', 'needsReview'],
} as const;

/**
 * The second, small search for the hits whose shown fields did not match (they matched inside a file):
 * the same query, only those ids, their passages highlighted and cropped. The files' passages are not
 * retrieved (a deck's full text), only their marked copies in `_formatted.files`, which Meilisearch
 * builds for paths inside the array (measured on 1.21). Ids are documentIds: letters, digits, - and _.
 */
/** Words the index ignores (few and short: they make long natural-language queries faster). */
export const SEARCH_STOP_WORDS = ['a', 'an', 'the', 'of', 'and', 'or', 'to', 'in', 'on', 'for', 'with', 'is', 'are'] as const;

export const SEARCH_PASSAGES = {
  attributesToRetrieve: ['id'],
  attributesToHighlight: ['files.label', 'files.index', 'files.file', 'files.kind', 'files.text'],
  attributesToCrop: ['files.text'],
  cropLength: 28,
} as const;
export const passagesFilter = (ids: readonly string[]) => `id IN [${ids.filter((id) => /^[A-Za-z0-9_-]{1,64}$/.test(id)).map((id) => JSON.stringify(id)).join(', ')}]`;

const names = z
  .array(z.string())
  .nullish()
  .transform((v) => v ?? []);

/**
 * A hit as Meilisearch answers a search sent with {@link SEARCH_DISPLAY}: a {@link SearchDocument}
 * without its body, with highlighted and cropped copies in `_formatted`. Lenient on purpose: the
 * standing is checked against the CMS before anything is shown, so a hit only needs what a result
 * line shows, and unknown fields are dropped.
 */
export const searchHitSchema = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  kind: z.string(),
  kindLabel: nullableText,
  summary: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
  stage: nullableText,
  products: names,
  regions: names,
  personas: names,
  claims: z
    .array(z.object({ documentId: z.string(), statement: z.string(), standing: z.string(), nowTrue: nullableText }))
    .nullish()
    .transform((v) => v ?? []),
  standing: z.string(),
  standingReason: nullableText,
  nowTrue: nullableText,
  needsReview: z.boolean().nullish(),
  reviewNote: nullableText,
  stale: z.boolean().nullish(),
  version: z
    .number()
    .int()
    .nullish()
    .transform((v) => v ?? 0),
  _formatted: z
    .object({
      title: z.string().nullish(),
      summary: z.string().nullish(),
      body: z.string().nullish(),
      claims: z.array(z.object({ statement: z.string().nullish() })).nullish(),
      // Meilisearch formats every value as a string, `index` too.
      files: z
        .array(z.object({ label: z.string().nullish(), index: z.union([z.string(), z.number()]).nullish(), file: z.string().nullish(), kind: z.string().nullish(), text: z.string().nullish() }))
        .nullish(),
    })
    .nullish(),
});
export type SearchHit = z.infer<typeof searchHitSchema>;
// A hit reads only what the index holds: a field here that SearchDocument lacks is a compile error.
({}) as [Exclude<keyof SearchHit, keyof SearchDocument | '_formatted'>] satisfies [never];

/**
 * Headers for every request to Meilisearch from a server next to it. Node's fetch asks for br/gzip by
 * default and Meilisearch then brotli-compresses each response: measured, that turns a 15 ms search
 * with highlight, crop and facets into ~58 ms. Over a slow WAN link, prefer 'gzip' to 'identity'.
 * Use as `new Meilisearch({ host, apiKey, requestInit: { headers: SEARCH_HTTP_HEADERS } })`.
 */
export const SEARCH_HTTP_HEADERS = { 'accept-encoding': 'identity' } as const;

/** A tenant token the portal's server searches with. */
export const searchTokenSchema = z.object({
  /** A tenant token (JWT) for `indexName` only, filtered to `standing != retracted`. */
  token: z.string().min(1),
  /** ISO time; ask for a new token a minute before. */
  expiresAt: z.string().refine((v) => !Number.isNaN(Date.parse(v)), { error: 'expiresAt must be a date' }),
  /** Meilisearch base URL as the portal's server reaches it. */
  url: z.string().refine((v) => URL.canParse(v), { error: 'url must be a URL' }),
  indexName: z.string().min(1),
  /** The filter the token enforces (informational; the token carries it). */
  filter: z.string(),
});
export type SearchToken = z.infer<typeof searchTokenSchema>;

/** GET /api/change-notices/search/token */
export const searchTokenResponseSchema = z.object({ data: searchTokenSchema });
export type SearchTokenResponse = z.infer<typeof searchTokenResponseSchema>;

/** ≤ 100 documentIds per truth call. */
export const TRUTH_MAX_IDS = 100;
const documentIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The `ids` query parameter of the truth API: `ids=a,b,c` (or repeated `ids[]=a&ids[]=b`), 1 to 100
 * documentIds, duplicates removed.
 */
export const truthQuerySchema = z.object({
  ids: z
    .union([z.string(), z.array(z.string())], { error: 'ids is required: pass ?ids=<documentId>,<documentId> (up to 100)' })
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(
      z
        .array(z.string().regex(documentIdPattern, { error: 'ids: each id must be a documentId (letters, digits, - and _, at most 64)' }))
        .min(1, { error: 'ids is required: pass ?ids=<documentId>,<documentId> (up to 100)' })
        .transform((ids) => [...new Set(ids)])
        .refine((ids) => ids.length <= TRUTH_MAX_IDS, { error: `ids: at most ${TRUTH_MAX_IDS} documentIds per request` })
    ),
});

/** The current truth of one collateral, straight from the CMS. */
export const truthItemSchema = z.discriminatedUnion('published', [
  z.object({
    documentId: z.string(),
    /** Published and visible to reps as an item (retracted items are published but tombstoned). */
    published: z.literal(true),
    slug: z.string(),
    title: z.string(),
    standing: z.enum(STANDINGS),
    standingReason: nullableText,
    nowTrue: nullableText,
    standingChangedAt: nullableText,
    /** Latest version number; a hit whose `version` differs is out of date. */
    version: z.number().int(),
    needsReview: z.boolean(),
    reviewNote: nullableText,
    stale: z.boolean(),
    replacedBy: z
      .object({ documentId: z.string(), slug: z.string(), title: z.string() })
      .nullish()
      .transform((v) => v ?? null),
  }),
  z.object({
    documentId: z.string(),
    /** Unpublished, deleted or never existed: do not show the hit. */
    published: z.literal(false),
  }),
]);
export type TruthItem = z.infer<typeof truthItemSchema>;

/** GET /api/change-notices/search/truth?ids=… */
export const truthResponseSchema = z.object({
  /** One entry per requested id. */
  data: z.record(z.string(), truthItemSchema),
  meta: z.object({ checkedAt: z.string() }),
});
export type TruthResponse = z.infer<typeof truthResponseSchema>;

const filterValue = z.union([
  z.string().max(200, { error: 'filters: a value may have at most 200 characters' }),
  z.number(),
  z.boolean(),
  z.array(z.string().max(200, { error: 'filters: a value may have at most 200 characters' })).max(20, { error: 'filters: at most 20 values per filter' }),
]);

/** POST /api/change-notices/search/log: the portal logs each search a rep ran. */
export const searchLogInputSchema = z.strictObject({
  query: personText('query', { max: 200, required: 'query is required (an empty string for a filter-only search)', tooLong: 'query: at most 200 characters' }),
  filters: z
    .record(z.string().max(40, { error: 'filters: a filter name may have at most 40 characters' }), filterValue, { error: 'filters must be an object of filter name to value(s)' })
    .refine((f) => Object.keys(f).length <= 12, { error: 'filters: at most 12 filters' })
    .default({}),
  hitCount: z
    .number({ error: 'hitCount is required: how many hits the search returned' })
    .int({ error: 'hitCount must be a whole number' })
    .min(0, { error: 'hitCount must be 0 or more' })
    .max(10_000_000, { error: 'hitCount is too large' }),
});
export type SearchLogInput = z.infer<typeof searchLogInputSchema>;

/** A zero-result query, as marketing's content requests list it. */
export const contentRequestSchema = z.object({
  /** The normalized query (lowercase, single spaces). */
  query: z.string(),
  count: z.number().int(),
  /** Distinct reps who searched it. */
  users: z.number().int(),
  lastSeenAt: z.string(),
});
export type ContentRequest = z.infer<typeof contentRequestSchema>;

/** GET /change-notices/search/content-requests?days=30&limit=50 (admin), most asked first. */
export const contentRequestsResponseSchema = z.object({ data: z.array(contentRequestSchema), meta: z.object({ days: z.number().int(), since: z.string() }) });
export type ContentRequestsResponse = z.infer<typeof contentRequestsResponseSchema>;

/** Lowercase, NFKC, punctuation at the edges removed, whitespace collapsed: "  One-Pager? " → "one-pager". */
export function normalizeQuery(query: string): string {
  return query
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}
