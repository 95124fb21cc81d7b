/**
 * The plugin's one config: a zod schema that holds every default, the environment variables that set
 * it (cms/config/plugins.ts hands `process.env` to `configFromEnv`), and `pluginConfig(strapi)`, the
 * typed accessor every module reads. `register` parses the merged config once and stores the result.
 */
import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { PLUGIN_ID } from './constants';

/** Unset environment variables (and empty ones) mean "use the default". */
const unset = (v: unknown) => v === undefined || v === null || v === '';
const optionalUrl = (error: string) => z.preprocess((v) => (unset(v) ? null : v), z.url({ error }).nullable());
const int = () => z.coerce.number().int().positive();

const teamChannel = z.strictObject({
  name: z.string().min(1, { error: 'change-notices: a team channel needs a name' }),
  url: z.url({ error: 'change-notices: a team channel webhook url must be an absolute URL' }),
});

/** Meilisearch: the index of current collateral, its keys and reconcile schedule. Without a URL search is off. */
export const searchConfigSchema = z
  .strictObject({
    /** Meilisearch as the CMS reaches it (MEILI_URL). */
    url: optionalUrl('change-notices: search.url (MEILI_URL) must be an absolute URL').default(null),
    /** The master key: it stays in the CMS and scripts, never leaves them (MEILI_MASTER_KEY). */
    masterKey: z
      .preprocess((v) => (unset(v) ? null : v), z.string().min(16, { error: 'change-notices: search.masterKey (MEILI_MASTER_KEY) must be at least 16 bytes' }).nullable())
      .default(null),
    /** Meilisearch as the portal's server reaches it, if not `url` (MEILI_PUBLIC_URL). */
    publicUrl: optionalUrl('change-notices: search.publicUrl (MEILI_PUBLIC_URL) must be an absolute URL').default(null),
    /** MEILI_INDEX; tests use one index per run. */
    indexName: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,200}$/, { error: 'change-notices: search.indexName (MEILI_INDEX) may use letters, digits, - and _' })
      .default('collateral'),
    /** Lifetime of the tenant tokens handed to the portal. */
    tokenTtlSeconds: z.coerce
      .number()
      .int()
      .min(60, { error: 'change-notices: search.tokenTtlSeconds must be at least 60' })
      .max(86_400, { error: 'change-notices: search.tokenTtlSeconds must be at most 86400 (a day)' })
      .default(900),
    /** When the reconcile job runs (cron syntax). */
    reconcileCron: z.string().min(1).default('*/10 * * * *'),
    /** Reconcile once when the server starts listening. */
    reconcileAtBoot: z.boolean().default(true),
    /** How long a sync waits for Meilisearch to finish a task before retrying later. */
    taskTimeoutMs: int().default(30_000),
    /** One HTTP request to Meilisearch gives up after this long (a hung server must not hold the queue). */
    requestTimeoutMs: int().default(5_000),
  })
  .refine((c) => !c.url || c.masterKey, { error: 'change-notices: search.masterKey (MEILI_MASTER_KEY) is required when search.url (MEILI_URL) is set', path: ['masterKey'] });
export type SearchConfig = z.infer<typeof searchConfigSchema>;

export const dispatcherConfigSchema = z.strictObject({
  /** Run the outbox worker in this Strapi instance. */
  enabled: z.boolean().default(true),
  /** Idle poll, when no wake-up came (another process's commit on SQLite, a row whose backoff ended). */
  pollMs: int().default(250),
  /** Rows claimed per round. */
  batchSize: int().default(100),
  /**
   * Jobs run at once (I/O bound: SMTP, webhooks). A send job carries `deliveriesPerJob` deliveries,
   * so this × that is what sits in the SMTP pool's queue: enough to keep it busy, few enough that
   * the next notice's first email is not queued behind seconds of this one's.
   */
  concurrency: int().default(8),
  /**
   * Lanes beside those that only take truth work (a change's notice and inbox rows, search sync), so
   * a change never waits for a lane busy with sends. 0 leaves all work to the general lanes.
   */
  truthLanes: z.coerce.number().int().min(0).default(4),
  maxAttempts: int().default(8),
  backoffBaseMs: int().default(2000),
  backoffMaxMs: int().default(3_600_000),
  /** A row stuck in `processing` longer than this belonged to a crashed worker and is taken over. */
  leaseMs: int().default(60_000),
  /** CPU niceness of a process that runs the dispatcher (0-19): workers yield the CPU to the web. */
  nice: z.coerce.number().int().min(0).max(19).default(0),
});
export type DispatcherConfig = z.infer<typeof dispatcherConfigSchema>;

const MB = 1024 * 1024;
/** Reading uploaded files for search (files/): the limits that keep a hostile file from costing the worker. */
export const filesConfigSchema = z
  .strictObject({
    /** Read the text of uploaded files in the worker (FILE_TEXT_ENABLED). */
    enabled: z.boolean().default(true),
    /** Larger files are marked "too large" without being read (FILE_TEXT_MAX_MB). */
    maxFileMb: int().default(200),
    /** A PPTX, DOCX or XLSX may unpack to this much; more is a zip bomb (FILE_TEXT_MAX_UNPACKED_MB). */
    maxUnpackedMb: int().default(200),
    /** Wall-clock budget of one file (FILE_TEXT_TIMEOUT_MS). */
    timeoutMs: int().default(60_000),
    /** Characters of file text one collateral's search document carries (FILE_TEXT_INDEX_CHARS). */
    indexChars: int().default(200_000),
    /** PDF pages pictured for the portal's previews; 0 makes no pictures (FILE_PREVIEW_PAGES). */
    previewPages: z.coerce.number().int().min(0).max(200).default(12),
  });
export type FilesConfig = z.infer<typeof filesConfigSchema>;

/** The extraction limits (files/limits.ts) a files config sets. */
export const extractLimitsOf = (c: FilesConfig) => ({ maxFileBytes: c.maxFileMb * MB, maxDecompressedBytes: c.maxUnpackedMb * MB, timeoutMs: c.timeoutMs });

export const configSchema = z.strictObject({
  /** Where reps read collateral; notices link into it. Stored without a trailing slash. */
  portalUrl: z
    .url({ error: 'change-notices: portalUrl must be an absolute URL' })
    .transform((u) => u.replace(/\/+$/, ''))
    .default('http://localhost:4321'),
  /** Strapi's own public URL, for the signed acknowledgement links in emails. Stored without a trailing slash. */
  publicUrl: z
    .url({ error: 'change-notices: publicUrl must be an absolute URL' })
    .transform((u) => u.replace(/\/+$/, ''))
    .default('http://localhost:1337'),
  /** Slack and Microsoft Teams incoming webhooks that receive every notice (team channels). */
  slack: z.array(teamChannel).default([]),
  teams: z.array(teamChannel).default([]),
  /** Remind reps who have not acknowledged an action-required notice after this many hours. */
  reminderAfterHours: z.coerce.number().positive().default(24),
  /** A retraction also reaches reps who viewed or downloaded the item within this many days. */
  retractionAudienceDays: int().default(30),
  /**
   * Push deliveries (email, Slack, Teams) one outbox row sends together. Few rows keep the queue cheap
   * to claim; small ones keep what is in flight (concurrency × this) short, so the next notice's first
   * email is not queued behind thousands of this one's.
   */
  deliveriesPerJob: int().default(10),
  /** Webhook calls give up after this long (a hanging receiver must not block the queue). */
  webhookTimeoutMs: int().default(10_000),
  dispatcher: dispatcherConfigSchema.default(() => dispatcherConfigSchema.parse({})),
  search: searchConfigSchema.default(() => searchConfigSchema.parse({})),
  files: filesConfigSchema.default(() => filesConfigSchema.parse({})),
});
export type PluginConfig = z.infer<typeof configSchema>;

/** Describes a config problem the way a person fixes it: the field, then what is wrong. */
function explain(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

/** Parses (and defaults) a raw config; a bad config stops the boot with the reason. */
export function parseConfig(raw: unknown): PluginConfig {
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new Error(`Invalid change-notices config: ${explain(parsed.error)}`);
  return parsed.data;
}

/**
 * Environment variables and where they go. The README's configuration table is checked against this
 * list by a test (scripts/lib/readme-config.test.ts); defaults live in the schema above only.
 */
export const CONFIG_ENV = [
  { name: 'PORTAL_URL', path: ['portalUrl'] },
  { name: 'PUBLIC_URL', path: ['publicUrl'] },
  { name: 'NOTICE_REMINDER_HOURS', path: ['reminderAfterHours'] },
  { name: 'RETRACTION_AUDIENCE_DAYS', path: ['retractionAudienceDays'] },
  { name: 'WEBHOOK_TIMEOUT_MS', path: ['webhookTimeoutMs'] },
  { name: 'NOTICES_DELIVERIES_PER_JOB', path: ['deliveriesPerJob'] },
  { name: 'NOTICES_DISPATCHER', path: ['dispatcher', 'enabled'], bool: true },
  { name: 'NOTICES_POLL_MS', path: ['dispatcher', 'pollMs'] },
  { name: 'NOTICES_BATCH_SIZE', path: ['dispatcher', 'batchSize'] },
  { name: 'NOTICES_CONCURRENCY', path: ['dispatcher', 'concurrency'] },
  { name: 'NOTICES_MAX_ATTEMPTS', path: ['dispatcher', 'maxAttempts'] },
  { name: 'NOTICES_BACKOFF_MS', path: ['dispatcher', 'backoffBaseMs'] },
  { name: 'NOTICES_LEASE_MS', path: ['dispatcher', 'leaseMs'] },
  { name: 'NOTICES_WORKER_NICE', path: ['dispatcher', 'nice'] },
  { name: 'MEILI_URL', path: ['search', 'url'] },
  { name: 'MEILI_MASTER_KEY', path: ['search', 'masterKey'] },
  { name: 'MEILI_PUBLIC_URL', path: ['search', 'publicUrl'] },
  { name: 'MEILI_INDEX', path: ['search', 'indexName'] },
  { name: 'SEARCH_TOKEN_TTL_SECONDS', path: ['search', 'tokenTtlSeconds'] },
  { name: 'SEARCH_RECONCILE_CRON', path: ['search', 'reconcileCron'] },
  { name: 'SEARCH_RECONCILE_AT_BOOT', path: ['search', 'reconcileAtBoot'], bool: true },
  { name: 'SEARCH_TASK_TIMEOUT_MS', path: ['search', 'taskTimeoutMs'] },
  { name: 'SEARCH_REQUEST_TIMEOUT_MS', path: ['search', 'requestTimeoutMs'] },
  { name: 'FILE_TEXT_ENABLED', path: ['files', 'enabled'], bool: true },
  { name: 'FILE_TEXT_MAX_MB', path: ['files', 'maxFileMb'] },
  { name: 'FILE_TEXT_MAX_UNPACKED_MB', path: ['files', 'maxUnpackedMb'] },
  { name: 'FILE_TEXT_TIMEOUT_MS', path: ['files', 'timeoutMs'] },
  { name: 'FILE_TEXT_INDEX_CHARS', path: ['files', 'indexChars'] },
  { name: 'FILE_PREVIEW_PAGES', path: ['files', 'previewPages'] },
] as const satisfies readonly { name: string; path: readonly string[]; bool?: true }[];

const BOOL = /^(true|1|yes|on)$/i;

/**
 * The plugin config as the environment sets it: only variables that are set, so the schema's defaults
 * apply to the rest. Slack and Teams take a webhook URL and an optional channel name each.
 */
export function configFromEnv(env: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const entry of CONFIG_ENV) {
    const value = env[entry.name];
    if (unset(value)) continue;
    let node = out;
    for (const key of entry.path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[entry.path[entry.path.length - 1]!] = 'bool' in entry ? BOOL.test(String(value)) : value;
  }
  // Acknowledgement links default to this very server.
  if (unset(env.PUBLIC_URL) && !unset(env.PORT)) out.publicUrl = `http://localhost:${env.PORT}`;
  if (!unset(env.SLACK_WEBHOOK_URL)) out.slack = [{ name: env.SLACK_CHANNEL_NAME || 'slack', url: env.SLACK_WEBHOOK_URL }];
  if (!unset(env.TEAMS_WEBHOOK_URL)) out.teams = [{ name: env.TEAMS_CHANNEL_NAME || 'teams', url: env.TEAMS_WEBHOOK_URL }];
  return out;
}

/** The plugin's config, parsed and defaulted (by `register`). The one way modules read it. */
export function pluginConfig(strapi: Core.Strapi): PluginConfig {
  // `register` replaced the raw config with `parseConfig`'s result, so this cast is checked once, there.
  return strapi.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;
}

/** Stores the parsed config in place of the raw one, so every later read is typed and defaulted. */
export function installConfig(strapi: Core.Strapi): PluginConfig {
  const parsed = parseConfig(strapi.config.get(`plugin::${PLUGIN_ID}`));
  strapi.config.set(`plugin::${PLUGIN_ID}`, parsed);
  return parsed;
}

export default {
  default: {},
  // A bad config stops the boot with the reason, instead of a warning nobody reads.
  validator(config: unknown) {
    parseConfig(config);
  },
};
