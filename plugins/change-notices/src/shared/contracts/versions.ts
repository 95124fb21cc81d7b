import { z } from 'zod';
import { nullableText } from './response';
import { STANDINGS, subjectKindSchema } from './standing';

/** A word-level edit in a long text field: kept, added or removed words. */
export const wordChangeSchema = z.object({ op: z.enum(['same', 'added', 'removed']), text: z.string() });
export type WordChange = z.infer<typeof wordChangeSchema>;

/** One field's change between two published versions. */
export const fieldChangeSchema = z.object({
  field: z.string(),
  label: z.string(),
  type: z.enum(['text', 'longtext', 'list', 'value']),
  before: z.unknown(),
  after: z.unknown(),
  /** longtext: the word-level diff. */
  words: z.array(wordChangeSchema).optional(),
  /** list (relations, files): what was added and removed, by label. */
  added: z.array(z.string()).optional(),
  removed: z.array(z.string()).optional(),
});
export type FieldChange = z.infer<typeof fieldChangeSchema>;

/**
 * `link`: a marketer linked a claim to collateral found mentioning it (mentions/). `merge`: copies of
 * the item were merged into it, and retracted with it as their replacement (files/, the Copies tab).
 * `import`: a file of the item's life before Candor (`npm run import`), dated when it was last
 * modified there; recorded from the draft, since imported items wait for marketing's review.
 */
export const VERSION_CAUSES = ['publish', 'standing', 'restore', 'link', 'merge', 'import'] as const;
export type VersionCause = (typeof VERSION_CAUSES)[number];

/** A version as the REST API returns it. */
export const versionViewSchema = z.object({
  number: z.number().int(),
  cause: z.enum(VERSION_CAUSES),
  title: z.string(),
  summary: z.string(),
  note: nullableText,
  standing: z.enum(STANDINGS),
  standingReason: nullableText,
  nowTrue: nullableText,
  changes: z
    .array(fieldChangeSchema)
    .nullish()
    .transform((v) => v ?? []),
  author: z.object({ name: z.string(), kind: z.enum(['admin', 'user', 'system']) }),
  createdAt: z.string(),
  /** Marketing marked it fit for buyers: a scaled-back item's share links serve the newest such. */
  customerSafe: z.boolean().optional(),
  /** Only one version's own read sends it: the whole content as published then. */
  snapshot: z.record(z.string(), z.unknown()).optional(),
});
export type VersionView = z.infer<typeof versionViewSchema>;

/** GET …/versions/:kind/:documentId: the history, newest first. */
export const versionListResponseSchema = z.object({
  data: z.array(versionViewSchema),
  meta: z.object({ documentId: z.string(), kind: subjectKindSchema, count: z.number().int() }),
});

/** GET …/versions/:kind/:documentId/:number: one version with its snapshot. */
export const versionResponseSchema = z.object({ data: versionViewSchema });

/** POST …/versions/:kind/:documentId/:number/restore: the old content is now the current draft. */
export const restoreResponseSchema = z.object({
  data: z.object({ documentId: z.string(), restoredFrom: z.number().int(), draftUpdatedAt: nullableText }),
});

/** A collateral version of the last days, as "New" and "Changed" list it. */
export const recentVersionSchema = z.object({
  documentId: z.string(),
  title: z.string(),
  slug: z.string(),
  kind: z.string(),
  number: z.number().int(),
  summary: z.string(),
  standing: z.enum(STANDINGS),
  standingReason: nullableText,
  nowTrue: nullableText,
  createdAt: z.string(),
});
export type RecentVersion = z.infer<typeof recentVersionSchema>;

/** GET /api/change-notices/recent?days=7&limit=20: first published (`created`) and changed since. */
export const recentResponseSchema = z.object({
  data: z.object({ created: z.array(recentVersionSchema), changed: z.array(recentVersionSchema) }),
  meta: z.object({ days: z.number().int(), limit: z.number().int() }),
});
