import { describe, expect, it } from 'vitest';
import { groupSimilar, minhashOf, NEAR_DUPLICATE, similarityOf } from './similarity';

const base = Array.from({ length: 400 }, (_, i) => `word${i % 97} term${(i * 7) % 53}`).join(' ');

describe('near-duplicate signatures', () => {
  it('finds the same text identical, a lightly edited copy near, an unrelated text far', () => {
    const a = minhashOf(base)!;
    expect(similarityOf(a, minhashOf(base.toUpperCase())!)).toBe(1);
    const edited = base.replace('word5 term35', 'Q3 pricing').replace('word40 term45', 'new');
    expect(similarityOf(a, minhashOf(edited)!)).toBeGreaterThan(NEAR_DUPLICATE);
    const other = Array.from({ length: 400 }, (_, i) => `alpha${i % 31} beta${(i * 3) % 17}`).join(' ');
    expect(similarityOf(a, minhashOf(other)!)).toBeLessThan(0.2);
  });

  it('does not compare texts too short to mean anything', () => {
    expect(minhashOf('Page one')).toBeNull();
    expect(similarityOf([], [])).toBe(0);
  });
});

describe('groups across the library', () => {
  it('joins copies and chains of near-duplicates, and leaves the rest out', () => {
    const v1 = minhashOf(base)!;
    const v2 = minhashOf(base.replace('word5 term35', 'Q3 pricing'))!;
    const v3 = minhashOf(base.replace('word5 term35', 'Q3 pricing').replace('word40 term45', 'new'))!;
    const other = minhashOf(Array.from({ length: 400 }, (_, i) => `alpha${i % 31} beta${(i * 3) % 17}`).join(' '))!;
    const groups = groupSimilar([
      { id: 1, hash: 'h1', minhash: v1 },
      { id: 2, hash: 'h9', minhash: other },
      { id: 3, hash: 'h3', minhash: v3 },
      { id: 4, hash: 'h1', minhash: v1 },
      { id: 5, hash: 'h2', minhash: v2 },
      { id: 6, hash: 'h6', minhash: null },
      { id: 7, hash: 'h6', minhash: null },
    ]);
    expect(groups).toEqual([
      [1, 3, 4, 5],
      [6, 7],
    ]);
  });
});

