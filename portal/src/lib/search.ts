/**
 * Search: the pure half. What the address bar means (`/search?q=…&kind=…`), the Meilisearch filter it
 * becomes, highlights turned into text segments (never HTML), and the truth overlay that decides what a
 * hit may say about its standing. No I/O here: `search-server.ts` does the calls, the page and the
 * island render the {@link SearchView} these functions build.
 */
import { z } from 'astro/zod';
import { COLLATERAL_KINDS, SEARCH_STOP_WORDS, type SearchHit, type Standing, type TruthItem } from '@candor/change-notices/contracts';
import { CURRENT_STANDINGS, SLUG_PATTERN, type CurrentStanding } from './cms';
import { KIND_LABELS, stageLabel, standingBadge, type BadgeTone } from './present';
import { emptyFilters, FACET_KEYS, SEARCH_FACET_GROUPS, type FacetKey, type SearchRequest } from './search-params';

export * from './search-params';

/** Results per page. */
export const SEARCH_PAGE_SIZE = 20;
/** Longest query the portal passes on (the search log takes 200). */
export const MAX_QUERY_LENGTH = 100;
/** Most values one facet may select at once (the search log takes 20). */
const MAX_VALUES_PER_FACET = 20;
const MAX_VALUE_LENGTH = 100;
/** Meilisearch answers at most this many hits for one query (the index's `pagination.maxTotalHits`). */
const MAX_PAGE = 50;

const STAGE_ORDER = ['awareness', 'consideration', 'decision', 'expansion'];

/** Values a facet accepts; anything else in the address bar is ignored, not answered with an error. */
const facetValue: Record<FacetKey, (v: string) => boolean> = {
  product: (v) => v.length <= MAX_VALUE_LENGTH,
  persona: (v) => v.length <= MAX_VALUE_LENGTH,
  region: (v) => v.length <= MAX_VALUE_LENGTH,
  kind: (v) => (COLLATERAL_KINDS as readonly string[]).includes(v),
  stage: (v) => SLUG_PATTERN.test(v.replace(/_/g, '-')) && v.length <= 40,
  // Retracted items are never search results, so they are not a filter either.
  standing: (v) => (CURRENT_STANDINGS as readonly string[]).includes(v),
};

const pageSchema = z.coerce.number().int().min(1).max(MAX_PAGE).catch(1);

/**
 * Reads a search from the address bar (or the island's request). Facets may repeat
 * (`kind=deck&kind=battlecard`); empty, unknown, duplicate and over-long values are dropped.
 */
/**
 * What a rep typed, as one line of text: control characters (a NUL from `?q=%00`, which the CMS
 * refuses) and runs of whitespace become one space, and it is cut to MAX_QUERY_LENGTH.
 */
export function searchText(raw: string): string {
  // eslint-disable-next-line no-control-regex
  return raw.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, MAX_QUERY_LENGTH);
}

export function parseSearchParams(params: URLSearchParams): SearchRequest {
  const q = searchText(params.get('q') ?? '');
  const filters = emptyFilters();
  for (const key of FACET_KEYS) {
    const values = params
      .getAll(key)
      .map((v) => v.trim())
      .filter((v) => v !== '' && facetValue[key](v));
    filters[key] = [...new Set(values)].slice(0, MAX_VALUES_PER_FACET);
  }
  const page = params.has('page') ? pageSchema.parse(params.get('page')) : 1;
  return { q, filters, page };
}

/** A string literal in Meilisearch's filter syntax. */
export function filterLiteral(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The Meilisearch filter: values of one facet are alternatives (OR), facets narrow each other (AND).
 * `except` leaves one facet out, for the counts of its own values (disjunctive faceting).
 */
export function meiliFilter(filters: Record<FacetKey, string[]>, except?: FacetKey): string[][] {
  const out: string[][] = [];
  for (const group of SEARCH_FACET_GROUPS) {
    if (group.key === except) continue;
    const values = filters[group.key];
    if (values.length) out.push(values.map((v) => `${group.attribute} = ${filterLiteral(v)}`));
  }
  return out;
}

/** The filters as the search log records them: only facets with values. */
export function loggedFilters(filters: Record<FacetKey, string[]>): Record<string, string[]> {
  return Object.fromEntries(FACET_KEYS.filter((k) => filters[k].length).map((k) => [k, filters[k]]));
}

// ---------------------------------------------------------------------------------------------------
// Highlights

/**
 * Meilisearch wraps matches in these instead of `<mark>`: private-use characters never typed in
 * collateral, so text that itself contains "<mark>" (or any HTML) stays text.
 */
export const HIGHLIGHT_PRE = '\uE000';
export const HIGHLIGHT_POST = '\uE001';

/** A piece of text, marked when it matched. Rendered as text (escaped) inside `<mark>` or not. */
export interface Segment {
  text: string;
  mark: boolean;
}

/**
 * Splits a highlighted string into plain and marked segments. Stray or nested tags are tolerated; the
 * tag characters never reach the output.
 */
export function highlightSegments(formatted: string | null | undefined): Segment[] {
  if (!formatted) return [];
  const out: Segment[] = [];
  let mark = false;
  let text = '';
  const flush = () => {
    if (!text) return;
    const last = out.at(-1);
    if (last && last.mark === mark) last.text += text;
    else out.push({ text, mark });
    text = '';
  };
  for (const ch of formatted) {
    if (ch === HIGHLIGHT_PRE || ch === HIGHLIGHT_POST) {
      flush();
      mark = ch === HIGHLIGHT_PRE;
    } else text += ch;
  }
  flush();
  return out;
}

/** Whether any segment is marked. */
export const hasMark = (segments: Segment[]) => segments.some((s) => s.mark);

/** Lower case without accents, as the index compares words. */
const fold = (w: string) => w.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** The query's words that the index searches for (its stop words left out). */
export function queryWords(q: string): Set<string> {
  const stop = new Set<string>(SEARCH_STOP_WORDS);
  return new Set((fold(q).match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !stop.has(w)));
}

/**
 * Whether the fields a result shows (title, summary, body, claims) account for the query: every query
 * word has a word marked in them that it begins (the index matches the last word as a prefix). When
 * not (a word matched inside a file, or by a typo or synonym), the file passage may be what explains
 * the hit ("Slide 7: …"), and attachPassages asks for it; asking too often costs a little time, never
 * a wrong result.
 */
export function matchedInFields(hit: IndexHit, q: string): boolean {
  const f = hit._formatted;
  if (!f) return false;
  const marked: string[] = [];
  for (const t of [f.title, f.summary, f.body, ...(f.claims ?? []).map((c) => c.statement)]) {
    for (const seg of highlightSegments(t)) if (seg.mark) marked.push(fold(seg.text));
  }
  const words = [...queryWords(q)];
  return marked.length > 0 && words.every((w) => marked.some((m) => m.startsWith(w)));
}

/** Plain text of segments. */
export const segmentText = (segments: Segment[]) => segments.map((s) => s.text).join('');

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Escapes text for HTML. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Segments as HTML: each piece escaped first, then matches wrapped in `<mark>`. */
export function segmentsToHtml(segments: Segment[]): string {
  return segments.map((s) => (s.mark ? `<mark>${escapeHtml(s.text)}</mark>` : escapeHtml(s.text))).join('');
}

// ---------------------------------------------------------------------------------------------------
// Hits from the index, and the truth overlay

/** A hit as the index returns it: the shared contract, next to the display settings that ask for it. */
export type IndexHit = SearchHit;

/** How a standing badge looks; built on the server so the island needs no label tables. */
export interface BadgeView {
  standing: Standing;
  label: string;
  tone: BadgeTone;
  icon: string;
  advice: string;
}

export const badgeView = (standing: Standing): BadgeView => ({ standing, ...standingBadge(standing) });

/** One result as the page and the island show it, after the truth overlay. */
export interface SearchResult {
  id: string;
  slug: string;
  /** `/collateral/<slug>`, or null when the slug is not one the portal links to. */
  href: string | null;
  /**
   * `current`: the CMS says it is published and not retracted. `retracted`: the CMS retracted it
   * after the index was written; shown only as "Retracted — see replacement", never as a result.
   */
  state: 'current' | 'retracted';
  title: Segment[];
  summary: Segment[];
  /** A cropped, highlighted passage of the body, when the body matched. */
  snippet: Segment[];
  /**
   * The page, slide or sheet of one of the item's files that matched ("Slide 7"), cropped and
   * highlighted, and where it opens: a PDF at that page, any other file as a download.
   */
  passage: { label: string; text: Segment[]; href: string | null } | null;
  /** Claims whose statement matched, with their standing when it is not confirmed. */
  claims: { statement: Segment[]; badge: BadgeView | null; nowTrue: string | null }[];
  kind: string;
  kindLabel: string;
  stageLabel: string | null;
  products: string[];
  /** The standing the CMS reports now, whatever the index said. */
  badge: BadgeView;
  nowTrue: string | null;
  standingReason: string | null;
  needsReview: boolean;
  reviewNote: string | null;
  stale: boolean;
  replacedBy: { title: string; href: string | null } | null;
  /** The index was behind the CMS for this item (standing or version): the CMS's word is shown. */
  corrected: boolean;
}

const hrefFor = (slug: string) => (SLUG_PATTERN.test(slug) ? `/collateral/${slug}` : null);
/** An upload's stored name as Strapi writes it (`<hash><ext>`): anything else is not linked. */
const STORED_FILE_NAME = /^[\w.-]{1,200}$/;
const plain = (formatted: string | null | undefined) => highlightSegments(formatted).map((s) => s.text).join('');

/**
 * The item's file passage that matches the query best (most of its different words marked; the
 * earlier page on a tie), with a link to it. A word a deck repeats on every slide marks them all:
 * the slide that has the whole phrase is the one to open.
 */
export function passageOf(slug: string, files: NonNullable<NonNullable<IndexHit['_formatted']>['files']>): SearchResult['passage'] {
  let best: { p: (typeof files)[number]; text: Segment[]; words: number } | null = null;
  for (const p of files) {
    const text = highlightSegments(p.text);
    if (!hasMark(text)) continue;
    const words = new Set(text.filter((t) => t.mark).map((t) => t.text.toLowerCase())).size;
    if (!best || words > best.words) best = { p, text, words };
  }
  if (!best) return null;
  const { p, text } = best;
  const label = plain(p.label) || 'In a file';
  const file = plain(p.file);
  const page = Number(plain(String(p.index ?? '')));
  let href: string | null = null;
  if (SLUG_PATTERN.test(slug) && STORED_FILE_NAME.test(file)) {
    const download = `/collateral/${encodeURIComponent(slug)}/download/${encodeURIComponent(file)}`;
    // A PDF opens in the browser's viewer at the page; a deck or sheet downloads.
    href = plain(p.kind) === 'pdf' && Number.isInteger(page) && page > 0 ? `${download}?view=inline#page=${page}` : download;
  }
  return { label, text, href };
}
const knownStanding = (s: string): Standing => (s === 'scaled_back' || s === 'retracted' ? s : 'confirmed');
const kindLabelOf = (kind: string, fallback: string | null) =>
  (COLLATERAL_KINDS as readonly string[]).includes(kind) ? KIND_LABELS[kind as keyof typeof KIND_LABELS] : (fallback ?? kind.replace(/_/g, ' '));

/**
 * Applies the CMS's truth to the index's hits, in their order. The index may lag by seconds (FACTS.md),
 * so the CMS decides:
 * - not published any more (or unknown to the CMS): dropped;
 * - retracted: kept only as a `retracted` entry (title, why, replacement; no matched text), and
 *   dropped when the rep filtered by standing;
 * - a standing filter the item no longer matches: dropped;
 * - otherwise the CMS's standing, what is true now, why, review flags, slug and title win.
 */
export function applyTruth(hits: IndexHit[], truth: Record<string, TruthItem>, options: { standingFilter?: string[] } = {}): { results: SearchResult[]; dropped: number } {
  const results: SearchResult[] = [];
  let dropped = 0;
  const standingFilter = options.standingFilter ?? [];
  for (const hit of hits) {
    const t = truth[hit.id];
    if (!t || !t.published) {
      dropped++;
      continue;
    }
    if (standingFilter.length && !standingFilter.includes(t.standing)) {
      dropped++;
      continue;
    }
    const corrected = t.standing !== hit.standing || t.version !== hit.version || t.slug !== hit.slug;
    const f = hit._formatted ?? {};
    // The index's highlighted title is only good while it is still the title.
    const title = t.title === hit.title && f.title ? highlightSegments(f.title) : [{ text: t.title, mark: false }];
    const base = {
      id: hit.id,
      slug: t.slug,
      href: hrefFor(t.slug),
      kind: hit.kind,
      kindLabel: kindLabelOf(hit.kind, hit.kindLabel),
      stageLabel: stageLabel(hit.stage),
      products: hit.products,
      badge: badgeView(t.standing),
      standingReason: t.standingReason,
      needsReview: t.needsReview,
      reviewNote: t.reviewNote,
      stale: t.stale,
      corrected,
    };
    if (t.standing === 'retracted') {
      results.push({
        ...base,
        state: 'retracted',
        title: [{ text: t.title, mark: false }],
        summary: [],
        snippet: [],
        passage: null,
        claims: [],
        nowTrue: null,
        replacedBy: t.replacedBy ? { title: t.replacedBy.title, href: hrefFor(t.replacedBy.slug) } : null,
      });
      continue;
    }
    const snippet = highlightSegments(f.body);
    const claims = hit.claims
      .map((c, i) => ({ claim: c, statement: highlightSegments(f.claims?.[i]?.statement ?? c.statement) }))
      .filter(({ statement }) => hasMark(statement))
      .map(({ claim, statement }) => {
        // A claim's standing comes from the index: show it when it warns, never vouch for "confirmed".
        const standing = knownStanding(claim.standing);
        return { statement, badge: standing === 'confirmed' ? null : badgeView(standing), nowTrue: standing === 'scaled_back' ? claim.nowTrue : null };
      });
    results.push({
      ...base,
      state: 'current',
      title,
      summary: highlightSegments(f.summary ?? hit.summary),
      snippet: hasMark(snippet) ? snippet : [],
      passage: f.files ? passageOf(t.slug, f.files) : null,
      claims,
      nowTrue: t.standing === 'scaled_back' ? t.nowTrue : null,
      replacedBy: null,
    });
  }
  return { results, dropped };
}

// ---------------------------------------------------------------------------------------------------
// Facets

export interface FacetOption {
  value: string;
  label: string;
  count: number;
  selected: boolean;
}

export interface FacetView {
  key: FacetKey;
  label: string;
  options: FacetOption[];
}

/**
 * Facet groups with their options and counts. `distributions[key]` holds the counts for that facet
 * (computed without the facet's own selection, so picking a second value shows what it adds).
 * Selected values are always listed, even at 0, so they can be unticked.
 */
export function facetViews(distributions: Partial<Record<FacetKey, Record<string, number>>>, filters: Record<FacetKey, string[]>): FacetView[] {
  return SEARCH_FACET_GROUPS.map((group) => {
    const counts = { ...(distributions[group.key] ?? {}) };
    for (const v of filters[group.key]) counts[v] ??= 0;
    let entries = Object.entries(counts);
    if (group.key === 'standing') entries = entries.filter(([v]) => (CURRENT_STANDINGS as readonly string[]).includes(v));
    const options = entries.map(([value, count]) => ({ value, label: facetLabel(group.key, value), count, selected: filters[group.key].includes(value) }));
    const rank = (o: FacetOption) =>
      group.key === 'standing' ? CURRENT_STANDINGS.indexOf(o.value as CurrentStanding) : group.key === 'stage' ? STAGE_ORDER.indexOf(o.value) : -1;
    options.sort((a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label));
    return { key: group.key, label: group.label, options };
  });
}

/** How a facet value reads. */
export function facetLabel(key: FacetKey, value: string): string {
  if (key === 'kind') return kindLabelOf(value, null);
  if (key === 'stage') return stageLabel(value) ?? value;
  if (key === 'standing') return standingBadge(knownStanding(value)).label;
  return value;
}

// ---------------------------------------------------------------------------------------------------

/** Everything a search page shows; also the JSON the island receives from `/api/search`. */
export interface SearchView {
  request: SearchRequest;
  /** The canonical `/search?…` address of this search. */
  href: string;
  results: SearchResult[];
  /** Matches in the index, less the ones the CMS would not let us show on this page. */
  total: number;
  page: number;
  pageCount: number;
  facets: FacetView[];
  /** This search was sent to the search log (it has words or filters). */
  logged: boolean;
}
