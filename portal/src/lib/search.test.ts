import { searchHitSchema, type TruthItem } from '@candor/change-notices/contracts';
import { describe, expect, it } from 'vitest';
import {
  applyTruth,
  matchedInFields,
  passageOf,
  emptyFilters,
  escapeHtml,
  facetViews,
  filterLiteral,
  HIGHLIGHT_POST as POST,
  HIGHLIGHT_PRE as PRE,
  highlightSegments,
  isBlank,
  loggedFilters,
  meiliFilter,
  parseSearchParams,
  searchHref,
  searchQueryString,
  segmentsToHtml,
  type IndexHit,
} from './search';

describe('search addresses', () => {
  it('reads words, repeated facets and the page from the address bar', () => {
    const r = parseSearchParams(new URLSearchParams('q=  national   tv &kind=deck&kind=one_pager&product=Aurora+Pulse&standing=scaled_back&page=2'));
    expect(r.q).toBe('national tv');
    expect(r.filters.kind).toEqual(['deck', 'one_pager']);
    expect(r.filters.product).toEqual(['Aurora Pulse']);
    expect(r.filters.standing).toEqual(['scaled_back']);
    expect(r.page).toBe(2);
  });

  it('drops what cannot be a filter instead of failing', () => {
    const r = parseSearchParams(new URLSearchParams(`kind=brochure&kind=deck&kind=deck&standing=retracted&stage=Not%20A%20Stage&region=&page=-3&q=${'x'.repeat(300)}`));
    expect(r.filters.kind).toEqual(['deck']);
    // Retracted items are never results, so never a filter.
    expect(r.filters.standing).toEqual([]);
    expect(r.filters.stage).toEqual([]);
    expect(r.filters.region).toEqual([]);
    expect(r.page).toBe(1);
    expect(r.q).toHaveLength(100);
    expect(parseSearchParams(new URLSearchParams('page=9999')).page).toBe(1);
    expect(parseSearchParams(new URLSearchParams('page=abc')).page).toBe(1);
  });

  it('writes a canonical, shareable address that reads back the same', () => {
    const r = parseSearchParams(new URLSearchParams('standing=confirmed&q=tv&product=Aurora+Pulse&kind=one_pager&page=3'));
    expect(searchQueryString(r)).toBe('q=tv&product=Aurora+Pulse&kind=one_pager&standing=confirmed&page=3');
    expect(parseSearchParams(new URLSearchParams(searchQueryString(r)))).toEqual(r);
    expect(searchHref(r, { page: 1 })).toBe('/search?q=tv&product=Aurora+Pulse&kind=one_pager&standing=confirmed');
    expect(searchHref({ q: '', filters: emptyFilters(), page: 1 })).toBe('/search');
    expect(isBlank({ q: '', filters: emptyFilters(), page: 4 })).toBe(true);
    expect(isBlank(r)).toBe(false);
  });

  it('turns filters into Meilisearch filters: OR within a facet, AND across, quotes escaped', () => {
    const filters = { ...emptyFilters(), kind: ['deck', 'one_pager'], product: ['Say "hi" \\ bye'] };
    expect(meiliFilter(filters)).toEqual([['products = "Say \\"hi\\" \\\\ bye"'], ['kind = "deck"', 'kind = "one_pager"']]);
    expect(meiliFilter(filters, 'kind')).toEqual([['products = "Say \\"hi\\" \\\\ bye"']]);
    expect(filterLiteral('a"b')).toBe('"a\\"b"');
    expect(meiliFilter(emptyFilters())).toEqual([]);
    expect(loggedFilters(filters)).toEqual({ product: ['Say "hi" \\ bye'], kind: ['deck', 'one_pager'] });
  });
});

describe('highlights', () => {
  it('splits Meilisearch highlights into marked and plain text', () => {
    expect(highlightSegments(`The ${PRE}national${POST} ${PRE}TV${POST} campaign`)).toEqual([
      { text: 'The ', mark: false },
      { text: 'national', mark: true },
      { text: ' ', mark: false },
      { text: 'TV', mark: true },
      { text: ' campaign', mark: false },
    ]);
    expect(highlightSegments(null)).toEqual([]);
    expect(highlightSegments('plain')).toEqual([{ text: 'plain', mark: false }]);
  });

  it('keeps HTML from the index as text: escaped first, then marked', () => {
    const segments = highlightSegments(`<img src=x onerror=alert(1)> ${PRE}<b>tv</b>${POST} <mark>fake</mark> & "quotes"`);
    // A literal <mark> in the text is not a highlight: only the private-use tags are.
    expect(segments.filter((s) => s.mark).map((s) => s.text)).toEqual(['<b>tv</b>']);
    const html = segmentsToHtml(segments);
    expect(html).toBe('&lt;img src=x onerror=alert(1)&gt; <mark>&lt;b&gt;tv&lt;/b&gt;</mark> &lt;mark&gt;fake&lt;/mark&gt; &amp; &quot;quotes&quot;');
    expect(html).not.toMatch(/<(img|b)\b/);
    expect(escapeHtml(`'`)).toBe('&#39;');
  });

  it('tolerates unbalanced tags without leaking them', () => {
    const segments = highlightSegments(`${PRE}open ${PRE}twice${POST}${POST} end${POST}`);
    expect(segments.map((s) => s.text).join('')).toBe('open twice end');
    expect(segments.every((s) => !s.text.includes(PRE) && !s.text.includes(POST))).toBe(true);
  });
});

const hit = (over: Partial<Record<string, unknown>> = {}): IndexHit =>
  searchHitSchema.parse({
    id: 'doc1',
    slug: 'launch-deck',
    title: 'Launch deck',
    kind: 'deck',
    kindLabel: 'Deck',
    summary: 'The big launch',
    stage: 'awareness',
    products: ['Aurora Pulse'],
    regions: ['EMEA'],
    personas: ['CFO'],
    claims: [
      { documentId: 'c1', statement: 'National TV campaign', standing: 'scaled_back', nowTrue: 'Cable spots only' },
      { documentId: 'c2', statement: '99.95 % uptime', standing: 'confirmed', nowTrue: null },
    ],
    standing: 'confirmed',
    standingReason: null,
    nowTrue: null,
    needsReview: false,
    reviewNote: null,
    stale: false,
    version: 2,
    _formatted: {
      title: `${PRE}Launch${POST} deck`,
      summary: 'The big launch',
      body: `…our ${PRE}national${POST} reach…`,
      claims: [{ statement: `${PRE}National${POST} TV campaign` }, { statement: '99.95 % uptime' }],
    },
    ...over,
  });

const truth = (over: Partial<TruthItem & { published: true }> = {}): TruthItem => ({
  documentId: 'doc1',
  published: true,
  slug: 'launch-deck',
  title: 'Launch deck',
  standing: 'confirmed',
  standingReason: null,
  nowTrue: null,
  standingChangedAt: null,
  version: 2,
  needsReview: false,
  reviewNote: null,
  stale: false,
  replacedBy: null,
  ...over,
});

describe('truth overlay', () => {
  it('shows a hit the CMS agrees with, highlighted, with matching claims only', () => {
    const { results, dropped } = applyTruth([hit()], { doc1: truth() });
    expect(dropped).toBe(0);
    const r = results[0]!;
    expect(r).toMatchObject({ state: 'current', href: '/collateral/launch-deck', kindLabel: 'Deck', stageLabel: 'Awareness', corrected: false, nowTrue: null });
    expect(r.badge).toMatchObject({ standing: 'confirmed', label: 'Confirmed', tone: 'ok' });
    expect(r.title).toEqual([
      { text: 'Launch', mark: true },
      { text: ' deck', mark: false },
    ]);
    expect(r.snippet.some((s) => s.mark)).toBe(true);
    // Only the claim that matched; its scaled-back standing from the index warns, "confirmed" is never vouched for.
    expect(r.claims).toHaveLength(1);
    expect(r.claims[0]!.badge?.standing).toBe('scaled_back');
    expect(r.claims[0]!.nowTrue).toBe('Cable spots only');
  });

  it('names the page of a file that matched and links a PDF at that page, a deck as a download', () => {
    const files = [
      { label: 'Page 1', index: '1', file: 'Launch_deck_ab12.pdf', kind: 'pdf', text: 'Filler about shipping…' },
      { label: 'Page 7', index: '7', file: 'Launch_deck_ab12.pdf', kind: 'pdf', text: `…our ${PRE}national${POST} TV campaign…` },
    ];
    const { results } = applyTruth([hit({ _formatted: { title: 'Launch deck', files } })], { doc1: truth() });
    expect(results[0]!.passage).toEqual({
      label: 'Page 7',
      href: '/collateral/launch-deck/download/Launch_deck_ab12.pdf?view=inline#page=7',
      text: [
        { text: '…our ', mark: false },
        { text: 'national', mark: true },
        { text: ' TV campaign…', mark: false },
      ],
    });
    expect(passageOf('launch-deck', [{ label: 'Slide 7', index: '7', file: 'Deck_cd34.pptx', kind: 'pptx', text: `${PRE}TV${POST}` }])).toMatchObject({ label: 'Slide 7', href: '/collateral/launch-deck/download/Deck_cd34.pptx' });
    // No mark: no passage. A stored name that is not one: named, not linked. A label that matched: plain.
    expect(passageOf('launch-deck', [files[0]!])).toBeNull();
    expect(passageOf('launch-deck', [{ label: `${PRE}Page${POST} 2`, index: '2', file: '../../etc/passwd', kind: 'pdf', text: `${PRE}x${POST}` }])).toMatchObject({ label: 'Page 2', href: null });
    // A word every slide repeats marks them all: the slide with the whole phrase wins, the earlier on a tie.
    const slides = [1, 2, 3].map((n) => ({ label: `Slide ${n}`, index: String(n), file: 'Deck_cd34.pptx', kind: 'pptx', text: n === 2 ? `The ${PRE}Kestrel${POST} ${PRE}harbour${POST} ${PRE}regatta${POST}` : `Agenda ${n}: ${PRE}harbour${POST} season` }));
    expect(passageOf('launch-deck', slides)!.label).toBe('Slide 2');
    expect(passageOf('launch-deck', [slides[0]!, slides[2]!])!.label).toBe('Slide 1');
    // The shown fields account for the query only when each of its words is marked there.
    const titled = (title: string) => hit({ _formatted: { title } });
    expect(matchedInFields(titled(`${PRE}National${POST} ${PRE}TV${POST} plan`), 'national tv')).toBe(true);
    expect(matchedInFields(titled(`${PRE}Warranty${POST} and ${PRE}warranties${POST}`), 'battery warrant')).toBe(false);
    expect(matchedInFields(titled(`${PRE}Café${POST} ${PRE}launch${POST}`), 'the cafe launch')).toBe(true);
    expect(matchedInFields(titled('No marks'), 'x')).toBe(false);
    // A retracted item shows no matched text, files' included.
    expect(applyTruth([hit({ _formatted: { files } })], { doc1: truth({ standing: 'retracted' }) }).results[0]!.passage).toBeNull();
  });

  it('never shows a hit the CMS retracted as current: it becomes "retracted, see replacement" with no matched text', () => {
    const t = truth({ standing: 'retracted', standingReason: 'Offer ended.', version: 3, replacedBy: { documentId: 'doc9', slug: 'migration-services', title: 'Migration services' } });
    const { results } = applyTruth([hit()], { doc1: t });
    const r = results[0]!;
    expect(r.state).toBe('retracted');
    expect(r.badge.standing).toBe('retracted');
    expect(r.corrected).toBe(true);
    expect(r.summary).toEqual([]);
    expect(r.snippet).toEqual([]);
    expect(r.claims).toEqual([]);
    expect(r.replacedBy).toEqual({ title: 'Migration services', href: '/collateral/migration-services' });
    expect(r.standingReason).toBe('Offer ended.');
  });

  it('drops hits that are unpublished, unknown to the CMS, or no longer match the standing filter', () => {
    const hits = [hit(), hit({ id: 'doc2' }), hit({ id: 'doc3' }), hit({ id: 'doc4' })];
    const { results, dropped } = applyTruth(
      hits,
      { doc1: truth({ standing: 'scaled_back', nowTrue: 'Less' }), doc2: { documentId: 'doc2', published: false }, doc4: truth({ documentId: 'doc4', standing: 'retracted' }) },
      { standingFilter: ['confirmed'] }
    );
    expect(results).toEqual([]);
    expect(dropped).toBe(4);
  });

  it('always shows what is true now for a scaled-back item, whatever the index says', () => {
    const { results } = applyTruth([hit({ standing: 'confirmed', nowTrue: null })], {
      doc1: truth({ standing: 'scaled_back', nowTrue: 'Cable spots in 12 markets.', standingReason: 'Budget cut.', version: 3, title: 'Launch deck (revised)', slug: 'launch-deck-revised' }),
    });
    const r = results[0]!;
    expect(r.state).toBe('current');
    expect(r.badge).toMatchObject({ standing: 'scaled_back', label: 'Scaled back', tone: 'warn' });
    expect(r.nowTrue).toBe('Cable spots in 12 markets.');
    expect(r.standingReason).toBe('Budget cut.');
    expect(r.corrected).toBe(true);
    // The CMS's title and slug win; the index's highlighted old title is not shown.
    expect(r.title).toEqual([{ text: 'Launch deck (revised)', mark: false }]);
    expect(r.href).toBe('/collateral/launch-deck-revised');
  });

  it('a reconfirmed item loses the scaled-back banner the index still has', () => {
    const { results } = applyTruth([hit({ standing: 'scaled_back', nowTrue: 'Old limits' })], { doc1: truth({ standing: 'confirmed', version: 4 }) });
    expect(results[0]!.badge.standing).toBe('confirmed');
    expect(results[0]!.nowTrue).toBeNull();
  });
});

describe('facets', () => {
  it('lists values with counts and labels, keeps selected values at 0, orders standings and stages', () => {
    const filters = { ...emptyFilters(), kind: ['video'], standing: ['scaled_back'] };
    const views = facetViews(
      {
        kind: { deck: 3, one_pager: 2 },
        stage: { decision: 4, awareness: 1 },
        standing: { scaled_back: 1, confirmed: 9, retracted: 1 },
        product: { 'Aurora Vault': 2, 'Aurora Pulse': 5 },
      },
      filters
    );
    const byKey = Object.fromEntries(views.map((v) => [v.key, v]));
    expect(views.map((v) => v.key)).toEqual(['product', 'kind', 'stage', 'persona', 'region', 'standing']);
    expect(byKey.kind!.options).toEqual([
      { value: 'deck', label: 'Deck', count: 3, selected: false },
      { value: 'one_pager', label: 'One-pager', count: 2, selected: false },
      { value: 'video', label: 'Video', count: 0, selected: true },
    ]);
    expect(byKey.stage!.options.map((o) => o.label)).toEqual(['Awareness', 'Decision']);
    expect(byKey.standing!.options.map((o) => [o.value, o.selected])).toEqual([
      ['confirmed', false],
      ['scaled_back', true],
    ]);
    expect(byKey.product!.options.map((o) => o.value)).toEqual(['Aurora Pulse', 'Aurora Vault']);
    expect(byKey.persona!.options).toEqual([]);
  });
});
