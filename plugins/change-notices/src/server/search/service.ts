import type { Core } from '@strapi/strapi';
import type { Key } from 'meilisearch' with { 'resolution-mode': 'import' };
import { SUBJECT_KINDS, type SearchDocument, type SearchLogInput, type SearchTokenResponse } from '../../shared/contracts';
import { PLUGIN_ID } from '../constants';
import { PermanentDeliveryError, type OutboxJob } from '../outbox';
import { createSearchClient, SearchError, type SearchClient } from './client';
import { pluginConfig, type SearchConfig } from '../config';
import { latestVersions, loadPublished, loadWanted, revisionOf, toSearchDocument } from './document';
import { ensureSearchKey, tenantToken, TOKEN_FILTER } from './keys';
import { contentRequests, logSearch } from './search-log';
import { ensureIndex } from './settings';
import { loadTruth } from './truth';

export interface SyncResult {
  upserted: number;
  deleted: number;
}

export interface ReconcileResult {
  trigger: string;
  /** Current collateral in the CMS. */
  current: number;
  /** Documents the index held before. */
  indexed: number;
  missing: number;
  outdated: number;
  removed: number;
  ms: number;
  finishedAt: string;
}

export interface RebuildProgress {
  onStart?(total: number): void;
  onProgress?(done: number): void;
}

export interface RebuildResult {
  indexed: number;
  removed: number;
  ms: number;
  reconcile: ReconcileResult;
}

/** Documents per Meilisearch write and per database page. */
const BATCH = 500;
const PAGE = 1000;
/** A written document that changed again meanwhile is rewritten this many times before the job retries. */
const VERIFY_ROUNDS = 3;

const chunks = <T>(list: T[], size: number): T[][] => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

/**
 * Keeps the Meilisearch index equal to the current published, non-retracted collateral: the outbox
 * handler syncs single documents, reconcile repairs drift both ways, rebuild starts over. Also issues
 * tenant tokens, answers the truth overlay and records searches.
 */
export const createSearchService = ({ strapi }: { strapi: Core.Strapi }) => {
  let client: Promise<SearchClient> | null = null;
  // Index and settings ensured; forgotten when Meilisearch is unreachable, since it may come back empty.
  let ready: Promise<void> | null = null;
  let key: { value: Key; at: number } | null = null;
  let keyLookup: Promise<Key> | null = null;
  let current: Promise<ReconcileResult> | null = null;
  let queued: Promise<ReconcileResult> | null = null;
  let lastReconcile: ReconcileResult | null = null;
  let lastReconcileError: string | null = null;
  let stopped = false;
  let boot: Promise<void> | null = null;

  const cfg = (): SearchConfig => pluginConfig(strapi).search;
  const getClient = (): Promise<SearchClient> => {
    client ??= createSearchClient(cfg()).catch((err) => {
      client = null;
      throw err;
    });
    return client;
  };
  const forgetState = (err: unknown) => {
    if (err instanceof SearchError && (err.code === 'unavailable' || err.code === 'timeout' || err.meiliCode === 'index_not_found')) {
      ready = null;
      key = null;
    }
  };

  async function ensureReady(): Promise<SearchClient> {
    const c = await getClient();
    ready ??= ensureIndex(c).then(
      (changed) => {
        if (changed.length) strapi.log.info(`[${PLUGIN_ID}] search: index "${c.indexName}" settings applied (${changed.join(', ')})`);
      },
      (err) => {
        ready = null;
        throw err;
      }
    );
    await ready;
    return c;
  }

  /** Writes the wanted state of `ids`, then re-reads it: what changed while we wrote is written again. */
  async function sync(ids: string[]): Promise<SyncResult> {
    const c = await ensureReady();
    const index = c.index();
    const result: SyncResult = { upserted: 0, deleted: 0 };
    let pending = [...new Set(ids)];
    try {
      for (let round = 1; round <= VERIFY_ROUNDS && pending.length; round++) {
        const { docs, absent } = await loadWanted(strapi, pending, true);
        if (docs.length) await c.waitTask(`index ${docs.length} collateral`, () => index.addDocuments(docs, { primaryKey: 'id' }));
        if (absent.length) await c.waitTask(`remove ${absent.length} collateral`, () => index.deleteDocuments(absent));
        result.upserted += docs.length;
        result.deleted += absent.length;
        // Meilisearch applies writes in the order they arrive, not the order we read the database: a
        // concurrent sync may have written a newer state before our older one landed. Checking after
        // our task succeeded, and writing again when it differs, makes the last write the current one.
        const written = new Map<string, string | null>([...docs.map((d) => [d.id, d.rev] as const), ...absent.map((id) => [id, null] as const)]);
        const now = await loadWanted(strapi, pending, false);
        pending = pending.filter((id) => now.get(id) !== written.get(id));
      }
    } catch (err) {
      forgetState(err);
      throw err;
    }
    if (pending.length) {
      throw new SearchError(`${pending.length} collateral kept changing while being indexed; trying again later`, { code: 'unavailable', retryable: true });
    }
    return result;
  }

  async function indexedRevisions(c: SearchClient, indexName: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let offset = 0; ; offset += 10_000) {
      const page = await c.call(`read ${indexName}`, (m) => m.index(indexName).getDocuments<Pick<SearchDocument, 'id' | 'rev'>>({ fields: ['id', 'rev'], limit: 10_000, offset }));
      for (const d of page.results) out.set(String(d.id), String(d.rev ?? ''));
      if (page.results.length < 10_000) return out;
    }
  }

  const assertRunning = () => {
    if (stopped) throw new SearchError('the CMS is shutting down', { code: 'unavailable', retryable: true });
  };

  async function reconcileOnce(trigger: string): Promise<ReconcileResult> {
    const started = Date.now();
    const c = await ensureReady();
    // Not memoized here: an index deleted by hand comes back (without our settings) on the next
    // write, and a Meilisearch restored from an old snapshot may lack our search key.
    await ensureIndex(c);
    key = null;
    await service.searchKey();
    const indexed = await indexedRevisions(c, c.indexName);
    const missing: string[] = [];
    const outdated: string[] = [];
    const currentIds = new Set<string>();
    // The CMS side without bodies: a page of rows, their version numbers, one revision hash each.
    for (let afterId = 0; ; ) {
      assertRunning();
      const rows = await loadPublished(strapi, { afterId, limit: PAGE, withText: false });
      if (!rows.length) break;
      afterId = rows[rows.length - 1]!.id;
      const versions = await latestVersions(strapi, rows.map((r) => r.documentId));
      for (const row of rows) {
        if (row.standing === 'retracted') continue;
        currentIds.add(row.documentId);
        const have = indexed.get(row.documentId);
        if (have === undefined) missing.push(row.documentId);
        else if (have !== revisionOf(row, versions.get(row.documentId) ?? 0)) outdated.push(row.documentId);
      }
    }
    const removed = [...indexed.keys()].filter((id) => !currentIds.has(id));
    // sync() re-reads each document, so one that changed since the comparison is written as it is now.
    for (const batch of chunks([...missing, ...outdated, ...removed], BATCH)) {
      assertRunning();
      await sync(batch);
    }
    const result: ReconcileResult = {
      trigger,
      current: currentIds.size,
      indexed: indexed.size,
      missing: missing.length,
      outdated: outdated.length,
      removed: removed.length,
      ms: Date.now() - started,
      finishedAt: new Date().toISOString(),
    };
    lastReconcile = result;
    lastReconcileError = null;
    if (missing.length || outdated.length || removed.length) {
      strapi.log.info(`[${PLUGIN_ID}] search reconcile (${trigger}): ${missing.length} missing, ${outdated.length} outdated, ${removed.length} removed, in ${result.ms} ms`);
    }
    return result;
  }

  const service = {
    /** The parsed search config. */
    config: cfg,
    /** False without MEILI_URL: sync jobs then complete as no-ops. */
    get enabled(): boolean {
      return Boolean(cfg().url);
    },
    /** A master-key client (scripts and tests use it too). */
    client: getClient,
    ensureReady,
    /** Applies INDEX_SETTINGS now; returns the settings that had to change ([] when all matched). */
    async applySettings(): Promise<string[]> {
      return ensureIndex(await getClient());
    },
    sync,

    /** The outbox handler of `search.sync`: makes the index match the document's current state. */
    async handleSyncJob(job: OutboxJob<'search.sync'>): Promise<void> {
      // Search off: nothing to keep in sync; the boot reconcile of the first start with search on catches up.
      if (!service.enabled) return;
      try {
        await sync([job.payload.documentId]);
      } catch (err) {
        if (err instanceof SearchError && !err.retryable) throw new PermanentDeliveryError(err.message);
        throw err;
      }
    },

    /**
     * Compares the index with the CMS by documentId and revision (version + what can change without
     * one) and repairs both ways. Runs one at a time; a call while one runs waits for the next run.
     */
    reconcile(trigger = 'manual'): Promise<ReconcileResult> {
      if (!current) {
        current = reconcileOnce(trigger)
          .catch((err) => {
            lastReconcileError = (err as Error).message;
            throw err;
          })
          .finally(() => {
            current = null;
          });
        return current;
      }
      queued ??= current
        .catch(() => undefined)
        .then(() => {
          queued = null;
          return service.reconcile(trigger);
        });
      return queued;
    },

    /** Reconcile without waiting, for boot and cron: a failure is logged and the next run tries again. */
    reconcileInBackground(trigger: string): void {
      if (!service.enabled || stopped) return;
      service.reconcile(trigger).catch((err) => {
        if (!stopped) strapi.log.warn(`[${PLUGIN_ID}] search reconcile (${trigger}) failed: ${(err as Error).message}`);
      });
    },

    /** Resolves when no reconcile is running (tests and scripts wait on it). */
    async idle(): Promise<void> {
      await boot;
      while (current || queued) await (queued ?? current)!.catch(() => undefined);
    },

    /**
     * Rebuilds the index from scratch into a new index, swaps it in atomically (searches never see a
     * half-built index), drops the old one, then reconciles what changed during the rebuild.
     */
    async rebuild(progress: RebuildProgress = {}): Promise<RebuildResult> {
      const started = Date.now();
      const c = await ensureReady();
      await service.searchKey();
      const live = c.indexName;
      const fresh = `${live}__rebuild_${Date.now()}`;
      await ensureIndex(c, fresh);
      try {
        const total = await strapi.db.query(SUBJECT_KINDS.collateral).count({ where: { publishedAt: { $notNull: true }, standing: { $ne: 'retracted' } } });
        progress.onStart?.(total);
        const inFlight: { task: Promise<unknown>; count: number }[] = [];
        const newIds = new Set<string>();
        let done = 0;
        const settleOldest = async () => {
          const oldest = inFlight.shift()!;
          await oldest.task;
          done += oldest.count;
          progress.onProgress?.(done);
        };
        for (let afterId = 0; ; ) {
          const rows = await loadPublished(strapi, { afterId, limit: PAGE, withText: true });
          if (!rows.length) break;
          afterId = rows[rows.length - 1]!.id;
          const versions = await latestVersions(strapi, rows.map((r) => r.documentId));
          const docs = rows.filter((r) => r.standing !== 'retracted').map((r) => toSearchDocument(r, versions.get(r.documentId) ?? 0));
          docs.forEach((d) => newIds.add(d.id));
          if (!docs.length) continue;
          // A few writes in flight keep Meilisearch busy while we read the next page, without queueing everything.
          inFlight.push({ task: c.waitTask(`rebuild: index ${docs.length} collateral`, (m) => m.index(fresh).addDocuments(docs, { primaryKey: 'id' }), 600_000), count: docs.length });
          if (inFlight.length >= 4) await settleOldest();
        }
        while (inFlight.length) await settleOldest();
        const before = await indexedRevisions(c, live);
        const removed = [...before.keys()].filter((id) => !newIds.has(id)).length;
        // A swap sent twice would swap back: never resent unless Meilisearch provably did not run it.
        await c.waitTask(`swap ${live} and ${fresh}`, (m) => m.swapIndexes([{ indexes: [live, fresh], rename: false }]), 120_000, false);
        await c.waitTask(`delete ${fresh}`, (m) => m.deleteIndex(fresh), 120_000);
        const reconcile = await service.reconcile('rebuild');
        return { indexed: newIds.size, removed, ms: Date.now() - started, reconcile };
      } catch (err) {
        await c.call(`delete ${fresh}`, (m) => m.deleteIndexIfExists(fresh)).catch(() => undefined);
        throw err;
      }
    },

    /** The search-only API key (cached five minutes; recreated when Meilisearch lost it). */
    async searchKey(): Promise<Key> {
      if (key && Date.now() - key.at < 300_000) return key.value;
      // One look-up at a time: concurrent callers (boot, a rebuild, a token request) would each
      // create a key otherwise.
      keyLookup ??= (async () => {
        try {
          const c = await ensureReady();
          key = { value: await ensureSearchKey(c), at: Date.now() };
          return key.value;
        } catch (err) {
          forgetState(err);
          throw err;
        } finally {
          keyLookup = null;
        }
      })();
      return keyLookup;
    },

    /** A short-lived tenant token for the portal's server. */
    async issueToken(): Promise<SearchTokenResponse['data']> {
      const c = cfg();
      const k = await service.searchKey();
      const { token, expiresAt } = await tenantToken(k, c.indexName, c.tokenTtlSeconds);
      return { token, expiresAt: expiresAt.toISOString(), url: (c.publicUrl ?? c.url)!, indexName: c.indexName, filter: TOKEN_FILTER };
    },

    truth: (ids: string[]) => loadTruth(strapi, ids),
    logSearch: (userId: number, input: SearchLogInput) => logSearch(strapi, userId, input),
    contentRequests: (opts: { days: number; limit: number }) => contentRequests(strapi, opts),

    /** For the admin: is search on, how big is the index, how did the last reconcile go. */
    async status() {
      const c = cfg();
      if (!c.url) return { enabled: false as const, indexName: c.indexName, documents: null, isIndexing: null, lastReconcile: null, lastReconcileError: null };
      const stats = await (await getClient()).call('read index stats', (m) => m.index(c.indexName).getStats()).catch((err: SearchError) => err);
      return {
        enabled: true as const,
        indexName: c.indexName,
        documents: stats instanceof SearchError ? null : stats.numberOfDocuments,
        isIndexing: stats instanceof SearchError ? null : stats.isIndexing,
        error: stats instanceof SearchError ? stats.message : null,
        lastReconcile,
        lastReconcileError,
      };
    },

    /**
     * Boot: ensure index, settings and search key, then reconcile in the background. Meilisearch being
     * down must not stop the CMS: the outbox retries and the cron reconcile catch up.
     */
    start(): void {
      const c = cfg();
      if (!c.url) {
        strapi.log.info(`[${PLUGIN_ID}] search is off (no MEILI_URL): search.sync jobs complete without indexing`);
        return;
      }
      stopped = false;
      boot = (async () => {
        try {
          await service.searchKey();
        } catch (err) {
          strapi.log.warn(`[${PLUGIN_ID}] search: Meilisearch at ${c.url} is not ready (${(err as Error).message}); the next sync and reconcile try again`);
          return;
        }
        if (c.reconcileAtBoot) await service.reconcile('boot').catch((err) => !stopped && strapi.log.warn(`[${PLUGIN_ID}] search reconcile (boot) failed: ${(err as Error).message}`));
      })();
    },

    /** Stops background work between batches (the server is closing). */
    stop(): void {
      stopped = true;
    },
  };
  return service;
};

export type SearchService = ReturnType<typeof createSearchService>;
