import { z } from 'zod';

/** GET /api/change-notices/health */
export const pluginHealthSchema = z.object({
  ok: z.literal(true),
  plugin: z.literal('change-notices'),
  version: z.string(),
  /** uids the document-service middleware watches. */
  watching: z.array(z.string()),
});
export type PluginHealth = z.infer<typeof pluginHealthSchema>;
