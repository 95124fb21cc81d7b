import { z } from 'zod';
import { DEFAULT_SEARCH_CONFIG, searchConfigSchema } from './search/config';

const teamChannel = z.strictObject({
  name: z.string().min(1, { error: 'change-notices: a team channel needs a name' }),
  url: z.url({ error: 'change-notices: a team channel webhook url must be an absolute URL' }),
});

const configSchema = z.strictObject({
  /** Where reps read collateral; notices link into it. */
  portalUrl: z.url({ error: 'change-notices: portalUrl must be an absolute URL' }),
  /** Strapi's own public URL, for the signed acknowledgement links in emails. */
  publicUrl: z.url({ error: 'change-notices: publicUrl must be an absolute URL' }),
  /** Slack and Microsoft Teams incoming webhooks that receive every notice (team channels). */
  slack: z.array(teamChannel),
  teams: z.array(teamChannel),
  /** Remind reps who have not acknowledged an action-required notice after this many hours. */
  reminderAfterHours: z.number().positive(),
  /** A retraction also reaches reps who viewed or downloaded the item within this many days. */
  retractionAudienceDays: z.number().int().positive(),
  /** Webhook calls give up after this long (a hanging receiver must not block the queue). */
  webhookTimeoutMs: z.number().int().positive(),
  dispatcher: z.strictObject({
    enabled: z.boolean(),
    pollMs: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    concurrency: z.number().int().positive(),
    maxAttempts: z.number().int().positive(),
    backoffBaseMs: z.number().int().positive(),
    leaseMs: z.number().int().positive(),
  }),
  /** Meilisearch: the index of current collateral, its keys and reconcile schedule (search/config.ts). */
  search: searchConfigSchema,
});
export type PluginConfig = z.infer<typeof configSchema>;

export const DEFAULT_CONFIG: PluginConfig = {
  portalUrl: 'http://localhost:4321',
  publicUrl: 'http://localhost:1337',
  slack: [],
  teams: [],
  reminderAfterHours: 24,
  retractionAudienceDays: 30,
  webhookTimeoutMs: 10_000,
  dispatcher: { enabled: true, pollMs: 1000, batchSize: 100, concurrency: 16, maxAttempts: 8, backoffBaseMs: 2000, leaseMs: 60_000 },
  search: DEFAULT_SEARCH_CONFIG,
};

export default {
  default: DEFAULT_CONFIG,
  // A bad config stops the boot with the reason, instead of a warning nobody reads.
  validator(config: unknown) {
    const parsed = configSchema.safeParse(config);
    if (!parsed.success) {
      throw new Error(`Invalid change-notices config: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
  },
};
