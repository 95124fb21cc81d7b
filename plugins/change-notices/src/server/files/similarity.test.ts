import { describe, expect, it } from 'vitest';
import { minhashOf, NEAR_DUPLICATE, similarityOf } from './similarity';

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
