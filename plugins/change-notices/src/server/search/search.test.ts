import { describe, expect, it } from 'vitest';
import { normalizeQuery, searchLogInputSchema, truthQuerySchema } from '../../shared/contracts';
import { searchConfigSchema } from '../config';

const DEFAULT_SEARCH_CONFIG = searchConfigSchema.parse({});
import { markdownToText, revisionOf, toSearchDocument, type CollateralRow } from './document';
import { INDEX_SETTINGS, settingsDiff, synonymsOf } from './settings';

const row = (over: Partial<CollateralRow> = {}): CollateralRow => ({
  id: 1,
  documentId: 'abc123',
  slug: 'tv-deck',
  title: 'TV deck',
  kind: 'one_pager',
  funnelStage: 'awareness',
  standing: 'confirmed',
  standingReason: null,
  nowTrue: null,
  standingChangedAt: null,
  needsReview: false,
  reviewNote: null,
  stale: false,
  publishedAt: '2026-11-01T10:00:00.000Z',
  updatedAt: 1_793_000_000_000,
  products: [{ name: 'Vault' }, { name: 'Pulse' }],
  regions: [],
  personas: [{ name: 'CFO' }],
  claims: [{ documentId: 'c1', statement: 'National TV', standing: 'confirmed', nowTrue: null }],
  summary: 'Summary',
  body: '# Title\n\nSome **bold** and [a link](http://x).',
  cover: { url: '/uploads/a.png', formats: JSON.stringify({ thumbnail: { url: '/uploads/thumb_a.png' } }) },
  ...over,
});

describe('search documents', () => {
  it('turns a published row into the index document', () => {
    expect(toSearchDocument(row(), 3)).toMatchObject({
      id: 'abc123',
      kindLabel: 'One-pager',
      body: 'Title\nSome bold and a link.',
      products: ['Pulse', 'Vault'],
      version: 3,
      publishedAt: Date.parse('2026-11-01T10:00:00.000Z'),
      updatedAt: 1_793_000_000_000,
      coverUrl: '/uploads/thumb_a.png',
      stage: 'awareness',
    });
  });

  it('never builds a document for a retracted item', () => {
    expect(() => toSearchDocument(row({ standing: 'retracted' }), 1)).toThrow(/retracted/);
  });

  it('changes the revision for what changes without a new version, and only for that', () => {
    const base = revisionOf(row(), 2);
    expect(revisionOf(row({ title: 'Renamed (needs a new version anyway)' }), 2)).toBe(base);
    expect(revisionOf(row({ products: [{ name: 'Pulse' }, { name: 'Vault' }] }), 2)).toBe(base); // order does not matter
    expect(revisionOf(row(), 3)).not.toBe(base);
    expect(revisionOf(row({ needsReview: true }), 2)).not.toBe(base);
    expect(revisionOf(row({ claims: [{ documentId: 'c1', statement: 'National TV', standing: 'scaled_back', nowTrue: 'Cable' }] }), 2)).not.toBe(base);
    expect(revisionOf(row({ products: [{ name: 'Vault Plus' }, { name: 'Pulse' }] }), 2)).not.toBe(base);
  });

  it('strips markdown but keeps words, including snake_case ones', () => {
    expect(markdownToText('- one\n- two_three\n\n> quote\n\n---\n\n| a | b |\n\n```js\ncode()\n```')).toBe('one\ntwo_three\nquote\na b\ncode()');
    expect(markdownToText('![diagram](x.png) _emphasis_ ~~gone~~ `code`')).toBe('diagram emphasis gone code');
    expect(markdownToText(null)).toBe('');
  });
});

describe('index settings', () => {
  it('makes synonym groups mutual', () => {
    const syn = synonymsOf([['tv', 'television', 'telly']]);
    expect(syn.tv).toEqual(['television', 'telly']);
    expect(syn.telly).toEqual(['tv', 'television']);
  });

  it('finds nothing to change when Meilisearch returns the same settings in its own order and with its own extras', () => {
    const asStored = {
      ...INDEX_SETTINGS,
      filterableAttributes: [...INDEX_SETTINGS.filterableAttributes].reverse(),
      typoTolerance: { ...INDEX_SETTINGS.typoTolerance, disableOnWords: [] },
      faceting: { ...INDEX_SETTINGS.faceting },
      synonyms: Object.fromEntries(Object.entries(INDEX_SETTINGS.synonyms).reverse().map(([k, v]) => [k, [...v].reverse()])),
    };
    expect(settingsDiff(asStored)).toEqual({});
  });

  it('sends only what differs, and treats weight order as meaningful', () => {
    const diff = settingsDiff({ ...INDEX_SETTINGS, searchableAttributes: [...INDEX_SETTINGS.searchableAttributes].reverse(), rankingRules: ['words'] });
    expect(Object.keys(diff).sort()).toEqual(['rankingRules', 'searchableAttributes']);
  });
});

describe('search contracts', () => {
  it('parses truth ids from a comma list or repeated params, deduplicated', () => {
    expect(truthQuerySchema.parse({ ids: 'a,b, a ,,c' }).ids).toEqual(['a', 'b', 'c']);
    expect(truthQuerySchema.parse({ ids: ['a', 'b,c'] }).ids).toEqual(['a', 'b', 'c']);
  });

  it('rejects missing, malformed and too many ids with the field named', () => {
    expect(truthQuerySchema.safeParse({}).error!.issues[0]).toMatchObject({ path: ['ids'], message: expect.stringContaining('ids is required') });
    expect(truthQuerySchema.safeParse({ ids: 'a;drop' }).error!.issues[0]!.message).toContain('must be a documentId');
    const many = Array.from({ length: 101 }, (_, i) => `d${i}`).join(',');
    expect(truthQuerySchema.safeParse({ ids: many }).error!.issues[0]!.message).toContain('at most 100');
    // 101 ids of which 100 distinct are fine.
    expect(truthQuerySchema.safeParse({ ids: `${many.split(',').slice(0, 100).join(',')},d0` }).success).toBe(true);
  });

  it('validates a search log entry strictly', () => {
    expect(searchLogInputSchema.parse({ query: ' x ', hitCount: 0 })).toEqual({ query: 'x', hitCount: 0, filters: {} });
    expect(searchLogInputSchema.safeParse({ query: 'x', hitCount: 1.5 }).success).toBe(false);
    expect(searchLogInputSchema.safeParse({ query: 'x', hitCount: 1, filters: { a: { nested: true } } }).success).toBe(false);
  });

  it('normalizes queries for grouping', () => {
    expect(normalizeQuery('  One-Pager?  ')).toBe('one-pager');
    expect(normalizeQuery('Pricing   for\tMARS!')).toBe('pricing for mars');
    expect(normalizeQuery('¿Qué?')).toBe('qué');
  });
});

describe('search config', () => {
  it('is off without a URL and needs the master key with one', () => {
    expect(searchConfigSchema.parse({ ...DEFAULT_SEARCH_CONFIG, url: '', masterKey: '' })).toMatchObject({ url: null, masterKey: null });
    const bad = searchConfigSchema.safeParse({ ...DEFAULT_SEARCH_CONFIG, url: 'http://127.0.0.1:7700', masterKey: '' });
    expect(bad.error!.issues[0]!.message).toContain('MEILI_MASTER_KEY');
    expect(searchConfigSchema.safeParse({ ...DEFAULT_SEARCH_CONFIG, indexName: 'bad name' }).success).toBe(false);
  });
});
