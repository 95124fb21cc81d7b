import { z } from 'zod';
import { personText } from './text';

/**
 * Share links: a rep sends a buyer a link instead of an attachment, and the truth follows it. The
 * token in the link is a random selector (which row) and an HMAC of it (the proof), 48 URL-safe
 * characters: `shares/tokens.ts` mints and checks them.
 */
export const SHARE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{48}$/;

/** How long a new link works unless the rep says otherwise, and the longest it may. */
export const SHARE_DEFAULT_DAYS = 30;
export const SHARE_MAX_DAYS = 365;

/** Collateral `sharing`: by kind (battlecards stay internal), never, or always shareable. */
export const SHARING_MODES = ['by_kind', 'internal_only', 'shareable'] as const;
export type SharingMode = (typeof SHARING_MODES)[number];
/** Kinds that stay internal unless marketing says otherwise. */
export const INTERNAL_KINDS: readonly string[] = ['battlecard'];

/** Whether buyers may be sent an item, from its `sharing` and kind. */
export function isShareable(item: { sharing?: string | null; kind?: string | null }): boolean {
  if (item.sharing === 'internal_only') return false;
  if (item.sharing === 'shareable') return true;
  return !INTERNAL_KINDS.includes(String(item.kind ?? ''));
}

const checkbox = z
  .union([z.boolean(), z.enum(['on', 'true', 'false', '1', '0'])])
  .optional()
  .transform((v) => v === true || v === 'on' || v === 'true' || v === '1');

/** What a rep fills in to share an item (the portal's form and `POST /shares`). */
export const shareInputSchema = z.object({
  collateral: z.string({ error: 'collateral must be the documentId of the item' }).trim().min(1).max(64),
  buyerName: personText('buyerName', { min: 1, max: 120, required: "Enter the buyer's name", tooShort: "Enter the buyer's name", tooLong: 'The name can be at most 120 characters' }),
  buyerEmail: z
    .string({ error: "Enter the buyer's email address" })
    .trim()
    .max(254, { error: 'The email address can be at most 254 characters' })
    .pipe(z.email({ error: 'Enter an email address like jane@example.com' })),
  buyerCompany: personText('buyerCompany', { min: 1, max: 120, required: "Enter the buyer's company", tooShort: "Enter the buyer's company", tooLong: 'The company can be at most 120 characters' }),
  expiresInDays: z.coerce
    .number({ error: 'The link lasts a whole number of days' })
    .int({ error: 'The link lasts a whole number of days' })
    .min(1, { error: 'The link lasts at least 1 day' })
    .max(SHARE_MAX_DAYS, { error: `The link lasts at most ${SHARE_MAX_DAYS} days` })
    .default(SHARE_DEFAULT_DAYS),
  allowDownload: checkbox,
});
export type ShareInput = z.output<typeof shareInputSchema>;
export type ShareField = Exclude<keyof ShareInput, 'collateral'>;

/** Where a link stands. `withdrawn`: the item was retracted; `replaced`: the rep sent the replacement. */
export const SHARE_STATES = ['active', 'expired', 'revoked', 'withdrawn', 'replaced'] as const;
export type ShareState = (typeof SHARE_STATES)[number];

/** What the buyer did with a link, summed. */
export const shareActivitySchema = z.object({
  opens: z.number().int(),
  firstOpenedAt: z.string().nullable(),
  lastOpenedAt: z.string().nullable(),
  pagesViewed: z.number().int(),
  pagesTotal: z.number().int(),
  downloads: z.number().int(),
});
export type ShareActivity = z.infer<typeof shareActivitySchema>;

/** A link as its rep (and marketing) sees it. */
export const shareSchema = z.object({
  id: z.number().int(),
  url: z.string(),
  state: z.enum(SHARE_STATES),
  buyer: z.object({ name: z.string(), email: z.string(), company: z.string() }),
  item: z.object({ documentId: z.string(), title: z.string(), slug: z.string().nullable(), standing: z.string().nullable() }),
  allowDownload: z.boolean(),
  createdAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  /** Retracted with a replacement buyers may get: the rep can send it in one click. */
  replacement: z.object({ documentId: z.string(), title: z.string(), shareable: z.boolean() }).nullable(),
  replacedBy: z.number().int().nullable(),
  sharedBy: z.object({ id: z.number().int(), name: z.string() }),
  activity: shareActivitySchema,
});
export type Share = z.infer<typeof shareSchema>;

export const shareResponseSchema = z.object({ data: shareSchema });
export const shareListResponseSchema = z.object({ data: z.array(shareSchema) });
export const shareListQuerySchema = z.object({ collateral: z.string().trim().min(1).max(64).optional() });

/** A file as the buyer's page lists it. */
export const buyerFileSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  mime: z.string(),
  size: z.number(),
  kind: z.enum(['pdf', 'image', 'other']),
  /** Pages pictured for reading in the browser (the first FILE_PREVIEW_PAGES). */
  pictured: z.number().int(),
  /** Pages the file has, when known (its text was read). */
  pages: z.number().int().nullable(),
});
export type BuyerFile = z.infer<typeof buyerFileSchema>;

/**
 * The buyer's page. `live`: the current (or the latest customer-safe) version; `note`: scaled back with
 * no customer-safe version, so only marketing's note; `withdrawn`, `expired`, `revoked`: no files.
 * Nothing internal is in here: no claims, review notes, other reps or items.
 */
export const buyerViewSchema = z.object({
  state: z.enum(['live', 'note', 'withdrawn', 'expired', 'revoked']),
  title: z.string(),
  summary: z.string().nullable(),
  note: z.string().nullable(),
  buyer: z.object({ name: z.string(), company: z.string() }),
  sharedBy: z.object({ name: z.string(), email: z.string() }),
  allowDownload: z.boolean(),
  expiresAt: z.string(),
  files: z.array(buyerFileSchema),
  /** Withdrawn with a shareable replacement: its title, so the buyer can ask for it. */
  replacement: z.object({ title: z.string() }).nullable(),
});
export type BuyerView = z.infer<typeof buyerViewSchema>;
export const buyerViewResponseSchema = z.object({ data: buyerViewSchema });

/** The reach of a retraction through links: what the admin's notice page shows. */
export const shareReachSchema = z.object({ links: z.number().int(), buyers: z.number().int(), reps: z.number().int(), opened: z.number().int() });
export type ShareReach = z.infer<typeof shareReachSchema>;
export const itemSharesResponseSchema = z.object({ data: z.object({ reach: shareReachSchema, shares: z.array(shareSchema) }) });

export const customerSafeInputSchema = z.strictObject({ customerSafe: z.boolean({ error: 'customerSafe must be true or false' }) });
