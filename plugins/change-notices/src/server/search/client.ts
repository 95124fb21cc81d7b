import type { EnqueuedTaskPromise, Index, Meilisearch, Task } from 'meilisearch' with { 'resolution-mode': 'import' };
import { SEARCH_HTTP_HEADERS, type SearchDocument } from '../../shared/contracts';
import type { SearchConfig } from '../config';

/**
 * The one small Meilisearch client module of the plugin, with one error family. Everything that talks
 * to Meilisearch goes through `call` and `waitTask`, so the outbox handler can tell "try again later"
 * (server down, timeout, 5xx) from "this will never work" (a document Meilisearch rejects).
 */

export type SearchErrorCode =
  /** Search is not configured (no MEILI_URL). */
  | 'not_configured'
  /** Meilisearch is unreachable or answered 5xx / 429. */
  | 'unavailable'
  /** A request or a task did not finish in time. */
  | 'timeout'
  /** Meilisearch refused the request (4xx): retrying the same request will not help. */
  | 'rejected'
  /** An enqueued task failed. */
  | 'task_failed';

export class SearchError extends Error {
  override name = 'SearchError';
  readonly code: SearchErrorCode;
  /** True when the same request may succeed later. */
  readonly retryable: boolean;
  /** Meilisearch's own error code (`invalid_api_key`, `index_not_found`, …) when it answered one. */
  readonly meiliCode: string | null;
  constructor(message: string, opts: { code: SearchErrorCode; retryable: boolean; meiliCode?: string | null; cause?: unknown }) {
    super(message, { cause: opts.cause });
    this.code = opts.code;
    this.retryable = opts.retryable;
    this.meiliCode = opts.meiliCode ?? null;
  }
}

/** The `code`s along an error's cause chain (fetch wraps the socket error twice). */
function causeCodes(err: unknown): string[] {
  const codes: string[] = [];
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}

type MeiliModule = typeof import('meilisearch', { with: { 'resolution-mode': 'import' } });

// meilisearch is an ES module and the plugin compiles to CommonJS: a dynamic import (kept as a real
// `import()` by tsc's Node16 mode) loads it once.
let modulePromise: Promise<MeiliModule> | null = null;
export const loadMeilisearch = (): Promise<MeiliModule> => (modulePromise ??= import('meilisearch'));

export interface SearchClient {
  readonly meili: Meilisearch;
  readonly indexName: string;
  index(name?: string): Index<SearchDocument>;
  /**
   * Runs one write, or a series of reads; a failure becomes a SearchError. Lost requests are sent
   * again up to twice unless `idempotent` is false (then only a 408, which Meilisearch never ran).
   */
  call<T>(what: string, fn: (meili: Meilisearch) => Promise<T>, idempotent?: boolean): Promise<T>;
  /** Enqueues, waits for the task and throws unless it succeeded. */
  waitTask(what: string, enqueue: (meili: Meilisearch) => EnqueuedTaskPromise, timeoutMs?: number, idempotent?: boolean): Promise<Task>;
}

/** A client with the master key. Only the CMS and scripts hold one. */
export async function createSearchClient(config: SearchConfig): Promise<SearchClient> {
  if (!config.url || !config.masterKey) {
    throw new SearchError('Search is not configured: set MEILI_URL and MEILI_MASTER_KEY.', { code: 'not_configured', retryable: false });
  }
  const mod = await loadMeilisearch();
  const meili = new mod.Meilisearch({
    host: config.url,
    apiKey: config.masterKey,
    timeout: config.requestTimeoutMs,
    // Uncompressed: Meilisearch's brotli costs more time than the bytes it saves next door.
    requestInit: { headers: { ...SEARCH_HTTP_HEADERS } },
    defaultWaitOptions: { timeout: config.taskTimeoutMs, interval: 25 },
  });

  const toSearchError = (what: string, err: unknown): SearchError => {
    if (err instanceof SearchError) return err;
    if (err instanceof mod.MeilisearchApiError) {
      const status = err.response.status;
      const meiliCode = err.cause?.code ?? null;
      const retryable = status >= 500 || status === 429 || status === 408;
      return new SearchError(`${what}: Meilisearch answered ${status} ${meiliCode ?? ''} ${err.cause?.message ?? err.message}`.replace(/\s+/g, ' '), {
        code: retryable ? 'unavailable' : 'rejected',
        retryable,
        meiliCode,
        cause: err,
      });
    }
    if (err instanceof mod.MeilisearchRequestTimeOutError || err instanceof mod.MeilisearchTaskTimeOutError) {
      return new SearchError(`${what}: Meilisearch did not answer in time`, { code: 'timeout', retryable: true, cause: err });
    }
    if (err instanceof mod.MeilisearchRequestError) {
      return new SearchError(`${what}: Meilisearch at ${config.url} is unreachable (${(err.cause as Error | undefined)?.message ?? err.message})`, { code: 'unavailable', retryable: true, cause: err });
    }
    // Anything else (a bug, an unexpected response) is worth another try rather than a lost update.
    return new SearchError(`${what}: ${(err as Error)?.message ?? String(err)}`, { code: 'unavailable', retryable: true, cause: err });
  };

  const call: SearchClient['call'] = async (what, fn, idempotent = true) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(meili);
      } catch (err) {
        // Seen on a busy 2-core machine: a 408 (Meilisearch could not read the request in time, so
        // it did not process it: safe to send again, even a write) or a request that never got an
        // answer on a reused keep-alive connection (safe to send again when it is idempotent).
        // Every `call` is a single write or a series of reads, so a retry repeats nothing else.
        const notProcessed = err instanceof mod.MeilisearchApiError && err.response.status === 408;
        // A refused connection means nobody is listening: no point asking again right away.
        const lost = err instanceof mod.MeilisearchRequestError && !causeCodes(err).includes('ECONNREFUSED');
        if (attempt < 3 && (notProcessed || (idempotent && lost))) {
          await new Promise((r) => setTimeout(r, 200 * attempt));
          continue;
        }
        throw toSearchError(what, err);
      }
    }
  };

  return {
    meili,
    indexName: config.indexName,
    index: (name = config.indexName) => meili.index<SearchDocument>(name),
    call,
    async waitTask(what, enqueue, timeoutMs, idempotent = true) {
      // Enqueue and wait are separate calls, so a retried wait never enqueues the task twice.
      const enqueued = await call(what, (m) => enqueue(m), idempotent);
      const task = await call(what, (m) => m.tasks.waitForTask(enqueued.taskUid, timeoutMs ? { timeout: timeoutMs } : undefined));
      if (task.status === 'succeeded') return task;
      const meiliCode = task.error?.code ?? null;
      // invalid_request: the document or setting itself is wrong; internal/system errors may pass.
      const retryable = task.status === 'canceled' || (task.error?.type ?? 'internal') !== 'invalid_request';
      throw new SearchError(`${what}: Meilisearch task ${task.uid} ${task.status}${task.error ? `: ${task.error.code}: ${task.error.message}` : ''}`, {
        code: 'task_failed',
        retryable,
        meiliCode,
      });
    },
  };
}
