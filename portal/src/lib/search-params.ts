/**
 * What a search asks for and its address (`/search?q=…&kind=…`). No imports: the search island uses
 * this in the browser, where the zod-checked modules (`search.ts`, `cms.ts`) must not be bundled.
 */

/** The facets a rep can filter by: the URL parameter, the index attribute and how the group reads. */
export const SEARCH_FACET_GROUPS = [
  { key: 'product', attribute: 'products', label: 'Product' },
  { key: 'kind', attribute: 'kind', label: 'Kind' },
  { key: 'stage', attribute: 'stage', label: 'Funnel stage' },
  { key: 'persona', attribute: 'personas', label: 'Persona' },
  { key: 'region', attribute: 'regions', label: 'Region' },
  { key: 'standing', attribute: 'standing', label: 'Standing' },
] as const;
export type FacetKey = (typeof SEARCH_FACET_GROUPS)[number]['key'];
export const FACET_KEYS: readonly FacetKey[] = SEARCH_FACET_GROUPS.map((g) => g.key);

/** What a search asks for: words, the selected values of each facet, and the page. */
export interface SearchRequest {
  q: string;
  filters: Record<FacetKey, string[]>;
  page: number;
}

export const emptyFilters = (): Record<FacetKey, string[]> => ({ product: [], kind: [], stage: [], persona: [], region: [], standing: [] });

/** The canonical query string of a search: shareable, stable order, page 1 left out. */
export function searchQueryString(request: SearchRequest, overrides: { page?: number } = {}): string {
  const params = new URLSearchParams();
  if (request.q) params.set('q', request.q);
  for (const key of FACET_KEYS) for (const v of request.filters[key]) params.append(key, v);
  const page = overrides.page ?? request.page;
  if (page > 1) params.set('page', String(page));
  return params.toString();
}

/** `/search` with the search's query string. */
export function searchHref(request: SearchRequest, overrides: { page?: number } = {}): string {
  const qs = searchQueryString(request, overrides);
  return qs ? `/search?${qs}` : '/search';
}

/** Whether the rep asked for anything (words or a filter), as opposed to opening the page. */
export function isBlank(request: SearchRequest): boolean {
  return request.q === '' && FACET_KEYS.every((k) => request.filters[k].length === 0);
}

/** How many facet values are selected. */
export function activeFilterCount(request: SearchRequest): number {
  return FACET_KEYS.reduce((n, k) => n + request.filters[k].length, 0);
}
