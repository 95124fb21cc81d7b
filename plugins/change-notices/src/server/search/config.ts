import { z } from 'zod';

/** Empty strings from unset environment variables mean "not set". */
const optional = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (v === '' || v === undefined ? null : v), schema.nullable());

/**
 * The plugin's `search` config (cms/config/plugins.ts fills it from MEILI_* and SEARCH_* variables).
 * Without a URL, search is off: sync jobs complete without doing anything and the boot reconcile of
 * the first start with a URL brings the index in line.
 */
export const searchConfigSchema = z
  .strictObject({
    /** Meilisearch as the CMS reaches it (MEILI_URL). */
    url: optional(z.url({ error: 'change-notices: search.url (MEILI_URL) must be an absolute URL' })),
    /** The master key: it stays in the CMS and scripts, never leaves them (MEILI_MASTER_KEY). */
    masterKey: optional(z.string().min(16, { error: 'change-notices: search.masterKey (MEILI_MASTER_KEY) must be at least 16 bytes' })),
    /** Meilisearch as the portal's server reaches it, if not `url` (MEILI_PUBLIC_URL). */
    publicUrl: optional(z.url({ error: 'change-notices: search.publicUrl (MEILI_PUBLIC_URL) must be an absolute URL' })),
    /** MEILI_INDEX; tests use one index per run. */
    indexName: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, { error: 'change-notices: search.indexName (MEILI_INDEX) may use letters, digits, - and _' }),
    /** Lifetime of the tenant tokens handed to the portal (SEARCH_TOKEN_TTL_SECONDS). */
    tokenTtlSeconds: z.number().int().min(60, { error: 'change-notices: search.tokenTtlSeconds must be at least 60' }).max(86_400, { error: 'change-notices: search.tokenTtlSeconds must be at most 86400 (a day)' }),
    /** When the reconcile job runs (SEARCH_RECONCILE_CRON, cron syntax). */
    reconcileCron: z.string().min(1),
    /** Reconcile once when the server starts listening (SEARCH_RECONCILE_AT_BOOT). */
    reconcileAtBoot: z.boolean(),
    /** How long a sync waits for Meilisearch to finish a task before retrying later. */
    taskTimeoutMs: z.number().int().positive(),
    /** One HTTP request to Meilisearch gives up after this long (a hung server must not hold the queue). */
    requestTimeoutMs: z.number().int().positive(),
  })
  .refine((c) => !c.url || c.masterKey, { error: 'change-notices: search.masterKey (MEILI_MASTER_KEY) is required when search.url (MEILI_URL) is set', path: ['masterKey'] });

export type SearchConfig = z.infer<typeof searchConfigSchema>;

export const DEFAULT_SEARCH_CONFIG: SearchConfig = {
  url: null,
  masterKey: null,
  publicUrl: null,
  indexName: 'collateral',
  tokenTtlSeconds: 900,
  reconcileCron: '*/10 * * * *',
  reconcileAtBoot: true,
  taskTimeoutMs: 30_000,
  requestTimeoutMs: 5_000,
};
