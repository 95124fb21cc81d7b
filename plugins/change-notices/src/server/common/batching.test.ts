import { describe, expect, it } from 'vitest';
import { batchedLookup, batchedWrite } from './batching';

describe('batched queries', () => {
  it('answers concurrent lookups with one fetch, each caller getting its own row (or undefined)', async () => {
    const fetches: number[][] = [];
    const load = batchedLookup(async (ids) => {
      fetches.push([...ids]);
      return ids.filter((id) => id !== 3).map((id) => ({ id, name: `row ${id}` }));
    }, (r) => r.id);
    const rows = await Promise.all([1, 2, 3, 2].map(load));
    expect(fetches).toEqual([[1, 2, 3, 2]]);
    expect(rows.map((r) => r?.name)).toEqual(['row 1', 'row 2', undefined, 'row 2']);
    await load(4);
    expect(fetches).toHaveLength(2);
  });

  it('writes the ids marked within its window in one statement, once each, and settles every caller after it', async () => {
    const writes: number[][] = [];
    let written = false;
    const mark = batchedWrite(async (ids) => {
      writes.push([...ids]);
      await new Promise((r) => setTimeout(r, 5));
      written = true;
    }, 20);
    const first = mark(1);
    await new Promise((r) => setTimeout(r, 5));
    const later = [mark(2), mark(1)];
    await Promise.all([first, ...later]);
    expect(written).toBe(true);
    expect(writes).toEqual([[1, 2]]);
  });

  it('fails every caller of a batch whose statement failed', async () => {
    const mark = batchedWrite(async () => {
      throw new Error('database is locked');
    }, 1);
    const results = await Promise.allSettled([mark(1), mark(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
