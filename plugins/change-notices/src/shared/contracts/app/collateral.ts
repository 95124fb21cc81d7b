import { z } from 'zod';
import { SHARING_MODES } from '../shares';
import { nullableText, paginationSchema } from '../response';
import { STANDINGS } from '../standing';

/**
 * The CMS's own collateral API (`/api/collaterals`, `/api/collaterals/by-slug/:slug`, `/api/products`,
 * `/api/regions`) as the portal reads it. Unknown fields are dropped; relations and optional fields
 * the CMS leaves out become null or empty lists, so views need no `undefined` checks.
 */

export const COLLATERAL_KINDS = ['deck', 'one_pager', 'battlecard', 'case_study', 'pricing_sheet', 'email_template', 'talk_track', 'video'] as const;
export type CollateralKind = (typeof COLLATERAL_KINDS)[number];

/** A product, region or persona. */
export const taxonSchema = z.object({ name: z.string(), slug: z.string() });
export type Taxon = z.infer<typeof taxonSchema>;
const taxaSchema = z
  .array(taxonSchema)
  .nullish()
  .transform((v) => v ?? []);

const mediaFormatSchema = z.object({ url: z.string(), width: z.number().nullish(), height: z.number().nullish() });

/** An upload (a file of the item, or its cover) with the image sizes Strapi generated. */
export const mediaSchema = z.object({
  name: z.string(),
  url: z.string(),
  alternativeText: nullableText,
  mime: nullableText,
  /** Kilobytes, as Strapi stores it. */
  size: z
    .number()
    .nullish()
    .transform((v) => v ?? null),
  width: z
    .number()
    .nullish()
    .transform((v) => v ?? null),
  height: z
    .number()
    .nullish()
    .transform((v) => v ?? null),
  formats: z
    .record(z.string(), mediaFormatSchema)
    .nullish()
    .transform((v) => v ?? {}),
  /** How many of the file's first pages the worker pictured (GET /api/collaterals/files/:name/pages/:n). */
  pages: z
    .number()
    .int()
    .nonnegative()
    .nullish()
    .transform((v) => v ?? 0),
});
export type Media = z.infer<typeof mediaSchema>;

/** A claim as the item's page shows it. */
export const collateralClaimSchema = z.object({
  statement: z.string(),
  slug: z.string(),
  standing: z.enum(STANDINGS),
  standingReason: nullableText,
  nowTrue: nullableText,
  standingChangedAt: nullableText,
});
export type CollateralClaim = z.infer<typeof collateralClaimSchema>;

/** One item of the collateral list. */
export const collateralSummarySchema = z.object({
  documentId: z.string(),
  title: z.string(),
  slug: z.string(),
  kind: z.enum(COLLATERAL_KINDS),
  summary: z.string(),
  standing: z.enum(STANDINGS),
  standingReason: nullableText,
  nowTrue: nullableText,
  standingChangedAt: nullableText,
  needsReview: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  reviewNote: nullableText,
  reviewBy: nullableText,
  updatedAt: z.string(),
  publishedAt: nullableText,
  products: taxaSchema,
  cover: mediaSchema.nullish().transform((v) => v ?? null),
  /** For an item without a cover: its first pictured file (the upload's name) and how many pages it has. */
  preview: z
    .object({ name: z.string(), pages: z.number().int().positive() })
    .nullish()
    .transform((v) => v ?? null),
});
export type CollateralSummary = z.infer<typeof collateralSummarySchema>;

/** An item with everything its page shows (`GET /api/collaterals/by-slug/:slug`). */
export const collateralSchema = collateralSummarySchema.extend({
  body: nullableText,
  /** Whether reps may share it with buyers: by kind (battlecards stay internal), never, always. */
  sharing: z
    .enum(SHARING_MODES)
    .nullish()
    .transform((v) => v ?? 'by_kind'),
  funnelStage: nullableText,
  regions: taxaSchema,
  personas: taxaSchema,
  claims: z
    .array(collateralClaimSchema)
    .nullish()
    .transform((v) => v ?? []),
  files: z
    .array(mediaSchema)
    .nullish()
    .transform((v) => v ?? []),
});
export type Collateral = z.infer<typeof collateralSchema>;

/** What a retracted item still tells a rep: why it is gone and what to use instead. */
export const tombstoneSchema = z.object({
  documentId: z.string(),
  title: z.string(),
  slug: z.string(),
  reason: nullableText,
  retractedAt: nullableText,
  replacedBy: z
    .object({ documentId: z.string(), title: z.string(), slug: z.string() })
    .nullish()
    .transform((v) => v ?? null),
});
export type Tombstone = z.infer<typeof tombstoneSchema>;

/** GET /api/collaterals: one page of the list. */
export const collateralListResponseSchema = z.object({ data: z.array(collateralSummarySchema), meta: z.object({ pagination: paginationSchema }) });

/** GET /api/collaterals with `fields=slug` and no relations: only the count is read. */
export const collateralCountResponseSchema = z.object({ data: z.array(z.object({ slug: z.string() })), meta: z.object({ pagination: paginationSchema }) });

/** GET /api/collaterals/by-slug/:slug, 200: a current item. */
export const collateralResponseSchema = z.object({ data: collateralSchema });

/** GET /api/collaterals/by-slug/:slug (or /:id), 410: a retracted item answers with its tombstone. */
export const collateralGoneResponseSchema = z.object({
  data: z.null(),
  error: z.object({
    status: z.literal(410),
    name: z.literal('GoneError'),
    message: z.string(),
    details: z.object({ tombstone: tombstoneSchema }),
  }),
});

/** The collateral an upload belongs to (as a file or its cover): what `/media/<file>` decides with. */
export const mediaOwnerSchema = z.object({
  slug: z.string(),
  title: z.string(),
  standing: z.enum(STANDINGS),
  files: z
    .array(z.object({ url: z.string() }))
    .nullish()
    .transform((v) => v ?? []),
  cover: z
    .object({ url: z.string() })
    .nullish()
    .transform((v) => v ?? null),
});
export type MediaOwner = z.infer<typeof mediaOwnerSchema>;

/** GET /api/collaterals with `fields=slug,title,standing` and the files' and cover's urls. */
export const mediaOwnersResponseSchema = z.object({ data: z.array(mediaOwnerSchema) });

/** GET /api/products and /api/regions. */
export const taxonListResponseSchema = z.object({ data: z.array(taxonSchema), meta: z.object({ pagination: paginationSchema }) });
