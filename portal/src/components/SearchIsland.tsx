import { useCallback, useEffect, useRef, useState, type FormEvent, type MouseEvent, type ReactNode } from 'react';
// Types only from search.ts: its code (zod, label tables) stays on the server. search-params.ts has no imports.
import type { BadgeView, FacetView, SearchResult, SearchView, Segment } from '../lib/search';
import { activeFilterCount, emptyFilters, isBlank, searchHref, searchQueryString, type FacetKey, type SearchRequest } from '../lib/search-params';

interface Props {
  /** The server's search, already checked against the CMS; null when search was unavailable. */
  view: SearchView | null;
  /** What the rep asked for (the address bar). */
  request: SearchRequest;
  /** Why there are no results to show (search unavailable), from the server. */
  error?: string | null;
}

/** Typing waits this long before searching... */
const TYPE_DELAY_MS = 250;
/** ...and this long before the search counts as one the rep meant (and goes to the search log). */
const SETTLE_DELAY_MS = 1500;

const FORM_ID = 'search-form';

/**
 * The search page: a plain GET form with facet checkboxes and server-rendered results, which works
 * without JavaScript. Once hydrated it searches as the rep types (debounced), applies facets at once,
 * pages in place and keeps the address bar on the shareable `/search?…` URL. Results come from the
 * portal's `/api/search` (the same search and truth overlay as the page), never from Meilisearch directly.
 */
export default function SearchIsland({ view: initialView, request: initialRequest, error: initialError = null }: Props) {
  const [request, setRequest] = useState<SearchRequest>(initialRequest);
  const [view, setView] = useState<SearchView | null>(initialView);
  const [error, setError] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);
  const [hydrated, setHydrated] = useState(false);
  const inflight = useRef<AbortController | null>(null);
  const typeTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const settleTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  const facetsRef = useRef<HTMLDetailsElement>(null);

  useEffect(() => {
    setHydrated(true);
    // Wide screens show the facets beside the results whatever the disclosure says (CSS); say it is open.
    if (facetsRef.current && window.matchMedia('(min-width: 60rem)').matches) facetsRef.current.open = true;
    return () => {
      clearTimeout(typeTimer.current);
      clearTimeout(settleTimer.current);
      inflight.current?.abort();
    };
  }, []);

  const load = useCallback(async (next: SearchRequest, options: { log: boolean; focusResults?: boolean; quiet?: boolean }) => {
    const href = searchHref(next);
    window.history.replaceState(null, '', href);
    inflight.current?.abort();
    const controller = new AbortController();
    inflight.current = controller;
    // The settle request (same search, now logged) changes nothing the rep sees: no busy state for it.
    if (!options.quiet) setBusy(true);
    const qs = searchQueryString(next);
    const api = `/api/search?${qs}${qs ? '&' : ''}${options.log ? 'log=1' : 'log=0'}`;
    try {
      const res = await fetch(api, { headers: { accept: 'application/json' }, signal: controller.signal, credentials: 'same-origin' });
      const isJson = (res.headers.get('content-type') ?? '').includes('application/json');
      if (res.status === 401 || res.redirected || !isJson) {
        // The session ended (or something answered other than the API): let the server page take over.
        window.location.assign(href);
        return;
      }
      if (!res.ok) {
        setError('Search could not update just now. Press Search to try again.');
        return;
      }
      const fresh = (await res.json()) as SearchView;
      if (controller.signal.aborted) return;
      setView(fresh);
      setError(null);
      if (options.focusResults) resultsHeading.current?.focus();
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      setError('Search could not update just now. Check your connection and press Search to try again.');
    } finally {
      if (inflight.current === controller) {
        inflight.current = null;
        setBusy(false);
      }
    }
  }, []);

  /** Searches now, or after the rep pauses typing; the search is logged once it settles. */
  const schedule = (next: SearchRequest, mode: 'now' | 'typing') => {
    setRequest(next);
    clearTimeout(typeTimer.current);
    clearTimeout(settleTimer.current);
    if (mode === 'now') {
      void load(next, { log: true });
      return;
    }
    typeTimer.current = setTimeout(() => void load(next, { log: false }), TYPE_DELAY_MS);
    settleTimer.current = setTimeout(() => void load(next, { log: true, quiet: true }), SETTLE_DELAY_MS);
  };

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    schedule({ ...request, page: 1 }, 'now');
  };

  const toggle = (key: FacetKey, value: string, on: boolean) => {
    const values = request.filters[key].filter((v) => v !== value);
    if (on) values.push(value);
    schedule({ ...request, filters: { ...request.filters, [key]: values }, page: 1 }, 'now');
  };

  /** Same-page links (pages, clear filters) load in place; modified clicks keep their usual meaning. */
  const navigate = (next: SearchRequest, options: { log: boolean }) => (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    clearTimeout(typeTimer.current);
    clearTimeout(settleTimer.current);
    setRequest(next);
    void load(next, { ...options, focusResults: true });
  };

  const active = activeFilterCount(request);
  // Open at first when filters are in use; after that the rep decides (React must not close it under them).
  const [facetsOpen] = useState(active > 0);
  const cleared: SearchRequest = { q: request.q, filters: emptyFilters(), page: 1 };
  // Counts and results belong to the search that answered, not to what is being typed.
  const shown = view?.request ?? request;

  return (
    <div className="search-page">
      <form id={FORM_ID} className="search-form" method="get" action="/search" role="search" aria-label="Search collateral" onSubmit={onSubmit}>
        <label htmlFor="search-q">Search collateral</label>
        <div className="search-row">
          <input
            id="search-q"
            name="q"
            type="search"
            value={request.q}
            maxLength={100}
            autoComplete="off"
            spellCheck={false}
            aria-describedby="search-hint"
            onChange={(e) => schedule({ ...request, q: e.target.value, page: 1 }, 'typing')}
          />
          <button className="button" type="submit">
            Search
          </button>
        </div>
        <p id="search-hint" className="hint">
          Titles, summaries, claims, full text and the words inside files. Typos are fine: “natinal TV” finds “national TV”.
        </p>
      </form>

      <div className="search-layout">
        <details className="facets" open={facetsOpen || undefined} ref={facetsRef}>
          <summary>
            Filters{active > 0 && <span className="facet-active">{` (${active} selected)`}</span>}
          </summary>
          <div className="facet-body">
            {(view?.facets ?? []).map((facet) => (
              <FacetGroup key={facet.key} facet={facet} selected={request.filters[facet.key]} onToggle={toggle} />
            ))}
            <div className="facet-actions">
              {!hydrated && (
                <button className="button secondary small" type="submit" form={FORM_ID}>
                  Apply filters
                </button>
              )}
              {active > 0 && (
                <a href={searchHref(cleared)} onClick={navigate(cleared, { log: true })}>
                  Clear filters
                </a>
              )}
            </div>
          </div>
        </details>

        <section className="search-results" aria-labelledby="results-heading" aria-busy={busy || undefined} data-testid="search-results">
          <h2 id="results-heading" className="visually-hidden" tabIndex={-1} ref={resultsHeading}>
            Results
          </h2>
          {error && (
            <div className="alert error" role="alert" data-testid="search-error">
              <p>{error}</p>
            </div>
          )}
          {view && <ResultLine view={view} />}
          {view && <Results view={view} request={shown} navigate={navigate} />}
        </section>
      </div>
    </div>
  );
}

/** One facet's checkboxes. Ticks follow the rep at once (`selected`); counts follow the last answer. */
function FacetGroup({ facet, selected, onToggle }: { facet: FacetView; selected: string[]; onToggle: (key: FacetKey, value: string, on: boolean) => void }) {
  if (facet.options.length === 0) return null;
  return (
    <fieldset className="facet" form={FORM_ID} data-facet={facet.key}>
      <legend>{facet.label}</legend>
      <ul>
        {facet.options.map((o) => (
          <li key={o.value}>
            <label>
              <input type="checkbox" name={facet.key} value={o.value} checked={selected.includes(o.value)} form={FORM_ID} onChange={(e) => onToggle(facet.key, o.value, e.target.checked)} />
              <span className="facet-label">{o.label}</span>
              <span className="facet-count">
                {o.count}
                <span className="visually-hidden">{o.count === 1 ? ' result' : ' results'}</span>
              </span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

function ResultLine({ view }: { view: SearchView }) {
  const n = view.total;
  const things = n === 1 ? 'result' : 'results';
  const text = isBlank(view.request)
    ? `${n} current ${n === 1 ? 'item' : 'items'}.`
    : view.request.q
      ? `${n} ${things} for “${view.request.q}”${activeFilterCount(view.request) ? ' with your filters' : ''}.`
      : `${n} ${things} with your filters.`;
  return (
    <p className="result-line" role="status" data-testid="result-line">
      {text}
      {view.pageCount > 1 && ` Page ${view.page} of ${view.pageCount}.`}
    </p>
  );
}

function Results({ view, request, navigate }: { view: SearchView; request: SearchRequest; navigate: (next: SearchRequest, options: { log: boolean }) => (e: MouseEvent<HTMLAnchorElement>) => void }) {
  if (view.results.length === 0) {
    if (view.total > 0 && view.page > 1) {
      const first = { ...request, page: 1 };
      return (
        <div className="empty">
          <h3>This page is past the end of the results</h3>
          <p>There {view.pageCount === 1 ? 'is 1 page' : `are ${view.pageCount} pages`}.</p>
          <a className="button secondary" href={searchHref(first)} onClick={navigate(first, { log: false })}>
            Go to the first page
          </a>
        </div>
      );
    }
    const cleared: SearchRequest = { q: '', filters: emptyFilters(), page: 1 };
    return (
      <div className="empty" data-testid="search-empty">
        <h3>{request.q ? `Nothing found for “${request.q}”` : 'Nothing matches these filters'}</h3>
        {view.logged && (
          <p data-testid="search-logged">We noted this search for marketing: searches that find nothing tell them what reps need next.</p>
        )}
        <p>Check the spelling, use fewer or other words, or remove a filter.</p>
        <a className="button secondary" href={searchHref(cleared)} onClick={navigate(cleared, { log: false })}>
          Show all current collateral
        </a>
      </div>
    );
  }
  return (
    <>
      <ol className="search-hits" aria-label="Search results">
        {view.results.map((hit) => (
          <li key={hit.id}>
            <Hit hit={hit} />
          </li>
        ))}
      </ol>
      {view.pageCount > 1 && (
        <nav className="pager" aria-label="Pages">
          {view.page > 1 ? (
            <a href={searchHref(request, { page: view.page - 1 })} onClick={navigate({ ...request, page: view.page - 1 }, { log: false })} rel="prev">
              ← Previous
            </a>
          ) : (
            <span />
          )}
          <span>
            Page {view.page} of {view.pageCount}
          </span>
          {view.page < view.pageCount ? (
            <a href={searchHref(request, { page: view.page + 1 })} onClick={navigate({ ...request, page: view.page + 1 }, { log: false })} rel="next">
              Next →
            </a>
          ) : (
            <span />
          )}
        </nav>
      )}
    </>
  );
}

/** Highlighted text: every piece is text (React escapes it); matches are wrapped in <mark>. */
function Marked({ segments }: { segments: Segment[] }): ReactNode {
  return segments.map((s, i) => (s.mark ? <mark key={i}>{s.text}</mark> : s.text));
}

function Badge({ badge }: { badge: BadgeView }) {
  return (
    <span className={`badge ${badge.tone}`} data-standing={badge.standing} title={badge.advice}>
      <span className="badge-icon" aria-hidden="true">
        {badge.icon}
      </span>
      <span>
        <span className="visually-hidden">Standing: </span>
        {badge.label}
      </span>
    </span>
  );
}

function Hit({ hit }: { hit: SearchResult }) {
  const title = <Marked segments={hit.title} />;
  return (
    <article className={`search-hit ${hit.state}`} data-testid="search-hit" data-slug={hit.slug} data-state={hit.state} data-standing={hit.badge.standing}>
      <div className="card-meta">
        <span className="kind">{hit.kindLabel}</span>
        <Badge badge={hit.badge} />
        {hit.stageLabel && <span className="hit-stage">{hit.stageLabel}</span>}
      </div>
      <h3 className="hit-title">{hit.href ? <a href={hit.href}>{title}</a> : title}</h3>
      {hit.state === 'retracted' ? (
        <div className="alert error hit-retracted" data-testid="hit-retracted">
          <p>
            <strong>Retracted: do not use or send this.</strong> {hit.standingReason}
          </p>
          {hit.replacedBy && (
            <p>
              Use instead: {hit.replacedBy.href ? <a href={hit.replacedBy.href}>{hit.replacedBy.title}</a> : hit.replacedBy.title}
            </p>
          )}
        </div>
      ) : (
        <>
          {hit.products.length > 0 && (
            <ul className="tags" aria-label="Products">
              {hit.products.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          <p className="hit-summary">
            <Marked segments={hit.summary} />
          </p>
          {hit.snippet.length > 0 && (
            <p className="hit-snippet">
              <span className="visually-hidden">From the text: </span>…<Marked segments={hit.snippet} />…
            </p>
          )}
          {hit.passage && (
            <p className="hit-snippet hit-passage" data-testid="hit-passage">
              {/* Meilisearch's crop already marks what it left out with "…". */}
              <span className="hit-passage-label">{hit.passage.href ? <a href={hit.passage.href}>{hit.passage.label}</a> : hit.passage.label}:</span>{' '}
              <Marked segments={hit.passage.text} />
            </p>
          )}
          {hit.claims.length > 0 && (
            <ul className="hit-claims" aria-label="Matching claims">
              {hit.claims.map((c, i) => (
                <li key={i}>
                  <span className="hit-claim-label">Claim:</span> <Marked segments={c.statement} /> {c.badge && <Badge badge={c.badge} />}
                  {c.nowTrue && <span className="hit-claim-true"> True now: {c.nowTrue}</span>}
                </li>
              ))}
            </ul>
          )}
          {hit.badge.standing === 'scaled_back' && (
            <div className="truth compact" data-testid="truth-banner">
              <p className="truth-title">
                <span aria-hidden="true">⚠</span> Scaled back: say only what is true now
              </p>
              <dl>
                <dt>True now</dt>
                <dd data-testid="now-true">{hit.nowTrue ?? 'Marketing has not said yet. Ask before you use this.'}</dd>
                {hit.standingReason && (
                  <>
                    <dt>Why</dt>
                    <dd data-testid="standing-reason">{hit.standingReason}</dd>
                  </>
                )}
              </dl>
            </div>
          )}
          {hit.needsReview && (
            <p className="hit-review">
              <strong>Under review.</strong> {hit.reviewNote ?? 'Marketing is checking this item; ask before you rely on it.'}
            </p>
          )}
        </>
      )}
    </article>
  );
}
