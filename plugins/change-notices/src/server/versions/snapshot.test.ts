import { describe, expect, it } from 'vitest';
import { diffSnapshots, populateFor, snapshotToDraftData, summarizeChanges, takeSnapshot } from './snapshot';

const uid = 'api::collateral.collateral' as const;
const base = {
  title: 'Q4 campaign one-pager',
  slug: 'q4-campaign',
  kind: 'one_pager',
  summary: 'What partners can expect from the Q4 campaign.',
  body: 'The Q4 campaign runs a national TV spot in prime time.',
  standing: 'confirmed',
  standingReason: null,
  nowTrue: null,
  claims: [{ documentId: 'c1', statement: 'National TV campaign in Q4' }],
  products: [
    { documentId: 'p2', name: 'Aurora Relay' },
    { documentId: 'p1', name: 'Aurora Pulse' },
  ],
  regions: [],
  personas: [],
  files: [],
  cover: null,
  replacedBy: null,
  funnelStage: 'awareness',
  reviewBy: '2027-01-31',
  // Not tracked: must not appear in the snapshot.
  updatedAt: '2026-11-01T00:00:00Z',
};

describe('takeSnapshot', () => {
  it('keeps tracked fields only, relations as sorted labelled refs', () => {
    const snap = takeSnapshot(uid, base);
    expect(snap).not.toHaveProperty('updatedAt');
    expect(snap.products).toEqual([
      { ref: 'p1', label: 'Aurora Pulse' },
      { ref: 'p2', label: 'Aurora Relay' },
    ]);
    expect(snap.cover).toBeNull();
  });
});

describe('diffSnapshots', () => {
  it('reports nothing for identical snapshots (a repeated publish event)', () => {
    expect(diffSnapshots(uid, takeSnapshot(uid, base), takeSnapshot(uid, { ...base }))).toEqual([]);
  });

  it('diffs long text word by word and lists relation changes', () => {
    const next = {
      ...base,
      body: 'The Q4 campaign runs late-night cable spots in 12 markets.',
      standing: 'scaled_back',
      standingReason: 'Media budget cut',
      claims: [],
      products: [...base.products, { documentId: 'p3', name: 'Aurora Vault' }],
    };
    const changes = diffSnapshots(uid, takeSnapshot(uid, base), takeSnapshot(uid, next));
    const byField = Object.fromEntries(changes.map((c) => [c.field, c]));
    expect(Object.keys(byField)).toEqual(['body', 'standing', 'standingReason', 'claims', 'products']);
    expect(byField.body!.words!.filter((w) => w.op === 'removed').map((w) => w.text)).toEqual(['a national TV spot', 'prime time']);
    expect(byField.body!.words!.filter((w) => w.op === 'added').map((w) => w.text).join(' ')).toMatch(/late-night cable spots/);
    expect(byField.claims).toMatchObject({ removed: ['National TV campaign in Q4'], added: [] });
    expect(byField.products).toMatchObject({ added: ['Aurora Vault'], removed: [] });

    const summary = summarizeChanges(changes, { first: false });
    expect(summary).toContain('Standing: Confirmed → Scaled back');
    expect(summary).toMatch(/Body edited \(\+\d+ −\d+ words\)/);
    expect(summary).toContain('Claims: −“National TV campaign in Q4”');
    expect(summary).toContain('Products: +“Aurora Vault”');
  });

  it('treats the first version as all-new without word diffs', () => {
    const changes = diffSnapshots(uid, null, takeSnapshot(uid, base));
    expect(changes.find((c) => c.field === 'body')?.words).toBeUndefined();
    expect(summarizeChanges(changes, { first: true })).toBe('First published version.');
  });
});

describe('populateFor', () => {
  it('populates every tracked relation with its label field', () => {
    const populate = populateFor(uid);
    expect(populate.claims).toEqual({ fields: ['statement', 'documentId'] });
    expect(populate.files).toEqual({ fields: ['name'] });
    expect(Object.keys(populate)).toEqual(expect.arrayContaining(['replacedBy', 'products', 'files', 'cover']));
  });
});

describe('snapshotToDraftData', () => {
  it('restores content and relations but never the standing', () => {
    const snap = takeSnapshot(uid, { ...base, standing: 'retracted', files: [{ id: 7, name: 'deck.pdf' }] });
    const data = snapshotToDraftData(uid, snap);
    expect(data).not.toHaveProperty('standing');
    expect(data).not.toHaveProperty('standingReason');
    expect(data.claims).toEqual(['c1']);
    expect(data.files).toEqual([7]);
    expect(data.cover).toBeNull();
    expect(data.body).toBe(base.body);
  });
});
