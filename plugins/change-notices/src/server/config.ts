import { z } from 'zod';

const configSchema = z.strictObject({
  /** Where reps read collateral; notices link into it. */
  portalUrl: z.url({ error: 'change-notices: portalUrl must be an absolute URL' }),
});
export type PluginConfig = z.infer<typeof configSchema>;

export default {
  default: { portalUrl: 'http://localhost:4321' } satisfies PluginConfig,
  // A bad config stops the boot with the reason, instead of a warning nobody reads.
  validator(config: unknown) {
    const parsed = configSchema.safeParse(config);
    if (!parsed.success) {
      throw new Error(`Invalid change-notices config: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    }
  },
};
