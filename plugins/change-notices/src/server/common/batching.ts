/**
 * One query for many concurrent callers. The dispatcher runs `concurrency` jobs at once; each used to
 * read its delivery, read its notice, mark it sent and mark its outbox row done with a query of its
 * own, and those queries (not SMTP) were most of the CPU of a fan-out. DataLoader (the well-kept
 * batching utility from the GraphQL world) gathers the calls made in one turn of the event loop and
 * runs them as one `WHERE id IN (…)`.
 */
import DataLoader from 'dataloader';

/**
 * Batches calls made until the next turn of the event loop (setImmediate), or within `windowMs` of
 * the first, never caching results. Reads issued together (a claimed batch starting) need no window;
 * writes after sends that finish one by one do.
 */
export function batchedByTurn<K, V>(run: (keys: readonly K[]) => Promise<readonly (V | Error)[]>, opts: { windowMs?: number; maxBatchSize?: number } = {}): (key: K) => Promise<V> {
  const windowMs = opts.windowMs ?? 0;
  const loader = new DataLoader<K, V>(run, {
    cache: false,
    maxBatchSize: opts.maxBatchSize ?? 500,
    batchScheduleFn: (dispatch) => (windowMs > 0 ? setTimeout(dispatch, windowMs) : setImmediate(dispatch)),
  });
  return (key) => loader.load(key);
}

/** A batched lookup by id: rows missing from the result come back as undefined. */
export function batchedLookup<R>(fetch: (ids: readonly number[]) => Promise<R[]>, idOf: (row: R) => number): (id: number) => Promise<R | undefined> {
  return batchedByTurn<number, R | undefined>(async (ids) => {
    const byId = new Map((await fetch(ids)).map((row) => [idOf(row), row]));
    return ids.map((id) => byId.get(id));
  });
}

/**
 * A batched write: every caller's promise settles when the one statement for the batch has run. The
 * short window trades a few milliseconds per job for one statement per several jobs.
 */
export function batchedWrite(write: (ids: readonly number[]) => Promise<unknown>, windowMs = WRITE_WINDOW_MS): (id: number) => Promise<void> {
  return batchedByTurn<number, void>(
    async (ids) => {
      await write([...new Set(ids)]);
      return ids.map(() => undefined);
    },
    { windowMs }
  );
}

/** How long a batched write waits for company. */
export const WRITE_WINDOW_MS = 5;
