import type { Settings } from 'meilisearch' with { 'resolution-mode': 'import' };
import { SEARCH_FACETS, SEARCH_SORTS, SEARCH_STOP_WORDS } from '../../shared/contracts';
import type { SearchClient, SearchError } from './client';

/**
 * Words reps use for the same thing. Each group is mutual: searching any member finds the others.
 * Multi-word members work too ("one pager"); Meilisearch treats "-" as a separator.
 */
export const SYNONYM_GROUPS: readonly string[][] = [
  ['tv', 'television'],
  ['deck', 'presentation', 'slides', 'slide deck'],
  ['one-pager', 'one pager', 'onepager', 'datasheet', 'data sheet', 'fact sheet'],
  ['battlecard', 'battle card', 'competitive'],
  ['case study', 'customer story', 'success story'],
  ['pricing', 'price list', 'price sheet'],
  ['sla', 'service level agreement'],
  ['roi', 'return on investment'],
  ['cfo', 'chief financial officer'],
  ['emea', 'europe'],
  ['apac', 'asia pacific'],
  ['latam', 'latin america'],
  ['talk track', 'call script', 'pitch'],
  ['email template', 'email'],
];

/** Expands mutual groups into Meilisearch's one-way synonym map. */
export function synonymsOf(groups: readonly string[][]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const group of groups) {
    for (const word of group) out[word] = [...new Set([...(out[word] ?? []), ...group.filter((w) => w !== word)])];
  }
  return out;
}

/**
 * The index settings, in code and applied at every boot (only what differs is sent).
 * - searchableAttributes: order is weight; a title match beats a body match.
 * - rankingRules: Meilisearch's defaults, then recency as the last tie-breaker.
 * - typoTolerance: one typo from 4 letters, two from 8; none on numbers ("99.95" must not match "99.99").
 * - displayedAttributes: the document's fields, listed, so nothing unintended ever leaves the index.
 * - proximityPrecision stays `byWord` (Meilisearch's default): "audit trail" should rank items where the
 *   words are adjacent first; `byAttribute` indexes faster but loses that.
 */
/** A file passage's fields as index paths. */
export const FILE_PASSAGE_PATHS = ['files.file', 'files.fileName', 'files.label', 'files.index', 'files.kind', 'files.text'] as const;

export const INDEX_SETTINGS = {
  searchableAttributes: ['title', 'summary', 'claims.statement', 'body', 'products', 'personas', 'regions', 'kindLabel', 'nowTrue', 'files.text'],
  // `id`: the portal asks for the file passages of a page's hits by id (SEARCH_PASSAGES).
  filterableAttributes: [...SEARCH_FACETS, 'id'],
  sortableAttributes: [...SEARCH_SORTS],
  rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness', 'publishedAt:desc'],
  displayedAttributes: [
    'id', 'slug', 'title', 'kind', 'kindLabel', 'summary', 'body', 'stage', 'products', 'regions', 'personas', 'claims', 'standing',
    'standingReason', 'nowTrue', 'needsReview', 'reviewNote', 'stale', 'coverUrl', 'version', 'publishedAt', 'updatedAt',
    'standingChangedAt', 'rev',
    // Each path, not `files`: Meilisearch 1.21 builds `_formatted.files` for a search that highlights
    // `files.text` without retrieving it only when the displayed attributes name the paths (measured).
    ...FILE_PASSAGE_PATHS,
  ],
  synonyms: synonymsOf(SYNONYM_GROUPS),
  // Few and short: they make long natural-language queries faster without hiding meaning.
  stopWords: [...SEARCH_STOP_WORDS],
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 }, disableOnNumbers: true, disableOnAttributes: [], disableOnWords: [] },
  faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { '*': 'count' } },
  pagination: { maxTotalHits: 1000 },
  // Searching inside facet values is for facets with thousands of values; ours have a handful. Off,
  // it roughly halved indexing time and single-document index lag in our measurements.
  facetSearch: false,
} satisfies Settings;

type ManagedKey = keyof typeof INDEX_SETTINGS;

/** Set-like settings compare without order; ordered ones (weights, rules) with it. */
const UNORDERED: ReadonlySet<ManagedKey> = new Set(['filterableAttributes', 'sortableAttributes', 'displayedAttributes', 'stopWords']);

function canonical(key: ManagedKey, value: unknown): string {
  const sortDeep = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortDeep);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sortDeep(x)]));
    return v;
  };
  if (key === 'synonyms') {
    const syn = (value ?? {}) as Record<string, string[]>;
    return JSON.stringify(Object.keys(syn).sort().map((k) => [k, [...syn[k]!].sort()]));
  }
  if (UNORDERED.has(key) && Array.isArray(value)) return JSON.stringify([...value].map(String).sort());
  return JSON.stringify(sortDeep(value));
}

/** The managed settings whose current value differs from the code's. */
export function settingsDiff(current: Settings, wanted: typeof INDEX_SETTINGS = INDEX_SETTINGS): Partial<typeof INDEX_SETTINGS> {
  const diff: Record<string, unknown> = {};
  for (const key of Object.keys(wanted) as ManagedKey[]) {
    const have = current[key as keyof Settings];
    const want = wanted[key];
    // Only the sub-keys we set count: Meilisearch adds its own defaults to nested settings.
    const comparable = want && typeof want === 'object' && !Array.isArray(want) && have && typeof have === 'object' && key !== 'synonyms'
      ? Object.fromEntries(Object.keys(want).map((k) => [k, (have as Record<string, unknown>)[k]]))
      : have;
    if (canonical(key, comparable) !== canonical(key, want)) diff[key] = want;
  }
  return diff as Partial<typeof INDEX_SETTINGS>;
}

/**
 * Creates the index if needed and brings its settings in line with INDEX_SETTINGS. Idempotent: an
 * index that already matches gets no task at all. Returns the keys that were changed.
 */
export async function ensureIndex(client: SearchClient, indexName = client.indexName): Promise<string[]> {
  const exists = await client.call(`read index ${indexName}`, async (m) => {
    try {
      await m.getRawIndex(indexName);
      return true;
    } catch (err) {
      if ((err as { cause?: { code?: string } }).cause?.code === 'index_not_found') return false;
      throw err;
    }
  });
  if (!exists) {
    try {
      await client.waitTask(`create index ${indexName}`, (m) => m.createIndex(indexName, { primaryKey: 'id' }));
    } catch (err) {
      // Another CMS instance created it a moment earlier: just as good.
      if ((err as SearchError).meiliCode !== 'index_already_exists') throw err;
    }
  }
  const current = await client.call(`read settings of ${indexName}`, (m) => m.index(indexName).getSettings());
  const diff = settingsDiff(current);
  if (Object.keys(diff).length) {
    await client.waitTask(`update settings of ${indexName}`, (m) => m.index(indexName).updateSettings(diff as Settings), 120_000);
  }
  return Object.keys(diff);
}
