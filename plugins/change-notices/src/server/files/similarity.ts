/**
 * Near-duplicate files: a MinHash signature of each file's text (5-word shingles, 64 hash functions),
 * whose share of equal positions estimates the Jaccard similarity of two texts' shingle sets. Written
 * here rather than taken from npm: it is 30 lines, and the packages on offer are unmaintained.
 */

const HASHES = 64;
const SHINGLE_WORDS = 5;
/** Texts more alike than this are listed as "almost the same". */
export const NEAR_DUPLICATE = 0.8;

/** FNV-1a over a string's UTF-16 units: fast, stable across processes, good enough for shingles. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

// One odd multiplier and an offset per hash function, fixed so signatures compare across runs.
const A = Array.from({ length: HASHES }, (_, i) => (fnv1a(`a${i}`) | 1) >>> 0);
const B = Array.from({ length: HASHES }, (_, i) => fnv1a(`b${i}`));

/** The signature of a text, or null when it has too few words to compare. */
export function minhashOf(text: string): number[] | null {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length < SHINGLE_WORDS) return null;
  const sig = new Array<number>(HASHES).fill(0xffffffff);
  for (let i = 0; i + SHINGLE_WORDS <= words.length; i++) {
    const h = fnv1a(words.slice(i, i + SHINGLE_WORDS).join(' '));
    for (let k = 0; k < HASHES; k++) {
      let x = (Math.imul(A[k]!, h) + B[k]!) >>> 0;
      x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) >>> 0; // mix the high bits down
      if (x < sig[k]!) sig[k] = x;
    }
  }
  return sig;
}

/** Estimated Jaccard similarity of the shingle sets behind two signatures, 0 to 1. */
export function similarityOf(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || !a.length) return 0;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/** A file as the library-wide grouping sees it: its bytes' hash and its text's signature. */
export interface Signed {
  id: number;
  hash: string;
  minhash: readonly number[] | null;
}

/**
 * Groups of files that are copies (the same bytes) or say almost the same thing, across the library:
 * connected components (union-find) of "same hash, or similarity ≥ threshold". Pairs are compared
 * one by one (n² of 64-number signatures: ~0.1 s for 2,000 files); banded LSH would be the next step
 * for libraries far larger. Groups of one are left out; each group lists its ids in input order.
 */
export function groupSimilar(files: readonly Signed[], threshold = NEAR_DUPLICATE): number[][] {
  const parent = files.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const union = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const byHash = new Map<string, number>();
  files.forEach((f, i) => {
    const first = byHash.get(f.hash);
    if (first === undefined) byHash.set(f.hash, i);
    else union(first, i);
  });
  for (let i = 0; i < files.length; i++) {
    const a = files[i]!.minhash;
    if (!a) continue;
    for (let j = i + 1; j < files.length; j++) {
      const b = files[j]!.minhash;
      if (b && find(i) !== find(j) && similarityOf(a, b) >= threshold) union(i, j);
    }
  }
  const groups = new Map<number, number[]>();
  files.forEach((f, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), f.id]));
  return [...groups.values()].filter((g) => g.length > 1);
}
