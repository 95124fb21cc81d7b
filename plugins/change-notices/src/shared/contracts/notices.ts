import { z } from 'zod';
import { COLLATERAL_KINDS } from './app/collateral';
import { nullableInt, nullableText, paginationSchema } from './response';
import { subjectKindSchema } from './standing';

export const URGENCIES = ['action_required', 'fyi'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const REP_CHANNELS = ['inbox', 'email'] as const;
export type RepChannel = (typeof REP_CHANNELS)[number];
export type Channel = RepChannel | 'slack' | 'teams';

export const CADENCES = ['instant', 'daily', 'weekly'] as const;
export type Cadence = (typeof CADENCES)[number];

/**
 * What a notice says, before it is stored: `compose` (or a direct notice such as "your suggestion
 * shipped") makes it, fan-out stores it once per key and delivers it.
 */
export const noticeDraftSchema = z.object({
  /** One notice per key, however often its cause is replayed. */
  key: z.string().min(1).max(255),
  urgency: z.enum(URGENCIES),
  uid: z.enum(['api::collateral.collateral', 'api::claim.claim']),
  documentId: z.string().min(1).max(64),
  version: z.number().int().nullable(),
  headline: z.string(),
  whatChanged: z.string(),
  why: z.string().nullable(),
  whatToDo: z.string(),
  link: z.string(),
  /** Extra lines for the email/Slack body (e.g. the affected material of a claim). */
  details: z.array(z.string()),
  actor: z.string(),
});
export type NoticeDraft = z.infer<typeof noticeDraftSchema>;

/** A notice as a rep's inbox shows it. */
export const inboxNoticeSchema = z.object({
  id: z.number().int(),
  urgency: z.enum(URGENCIES),
  headline: z.string(),
  whatChanged: z.string(),
  why: nullableText,
  whatToDo: z.string(),
  link: z.string(),
  /**
   * Extra lines the email and Slack bodies carry too: "Note from marketing: ..." and, for a claim,
   * one "Affected: <title> (<portal URL>)" per collateral that makes it. Older CMS versions do not
   * send it.
   */
  details: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
  subject: z.object({ kind: subjectKindSchema, documentId: z.string(), version: nullableInt }),
  actor: z.string(),
  createdAt: z.string(),
  readAt: nullableText,
  acknowledgedAt: nullableText,
});
export type InboxNotice = z.infer<typeof inboxNoticeSchema>;

/** GET /api/change-notices/inbox?filter=all|unread|action_required&page=1&pageSize=20, newest first. */
export const inboxResponseSchema = z.object({ data: z.array(inboxNoticeSchema), meta: z.object({ pagination: paginationSchema }) });

export const inboxCountSchema = z.object({
  /** Notices not yet opened in the inbox. */
  unread: z.number().int().min(0),
  /** Action-required notices not yet acknowledged (read or not). */
  actionRequired: z.number().int().min(0),
});
export type InboxCount = z.infer<typeof inboxCountSchema>;

/** GET /api/change-notices/inbox/count */
export const inboxCountResponseSchema = z.object({ data: inboxCountSchema });

/** POST /api/change-notices/inbox/:id/read */
export const noticeReadResponseSchema = z.object({ data: z.object({ id: z.number().int(), read: z.literal(true) }) });

/** POST /api/change-notices/inbox/:id/acknowledge: the first acknowledgement's time (it stands). */
export const acknowledgementResponseSchema = z.object({ data: z.object({ id: z.number().int(), acknowledgedAt: z.string() }) });

/** What a product or region slug looks like. */
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?$/;

/** A rep's subscription. Empty lists mean "everything". Action-required notices ignore the cadence. */
export const subscriptionSchema = z.strictObject({
  // Slugs only; the server also checks each names a product or region it knows.
  products: z.array(z.string().trim().regex(SLUG, { error: 'products: each must be a product slug (a-z, 0-9 and -)' })).max(200, { error: 'products: at most 200' }),
  regions: z.array(z.string().trim().regex(SLUG, { error: 'regions: each must be a region slug (a-z, 0-9 and -)' })).max(200, { error: 'regions: at most 200' }),
  kinds: z.array(z.enum(COLLATERAL_KINDS, { error: `kinds must be among: ${COLLATERAL_KINDS.join(', ')}` })),
  channels: z
    .array(z.enum(REP_CHANNELS, { error: `channels must be among: ${REP_CHANNELS.join(', ')}` }))
    .min(1, { error: 'channels: choose at least one channel' })
    .refine((c) => c.includes('inbox'), { error: 'channels: the portal inbox cannot be turned off' }),
  cadence: z.enum(CADENCES, { error: `cadence must be one of: ${CADENCES.join(', ')}` }),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

/** New reps hear about everything, in the portal and by email, at once. */
export const DEFAULT_SUBSCRIPTION: Subscription = { products: [], regions: [], kinds: [], channels: ['inbox', 'email'], cadence: 'instant' };

/**
 * GET and PUT /api/change-notices/subscription: the subscription as stored. Kinds or channels a
 * reader does not know (a newer CMS) are dropped rather than failing the page.
 */
export const subscriptionResponseSchema = z.object({
  data: z.object({
    products: z.array(z.string()),
    regions: z.array(z.string()),
    kinds: z.array(z.string()).transform((v) => v.filter((k): k is (typeof COLLATERAL_KINDS)[number] => (COLLATERAL_KINDS as readonly string[]).includes(k))),
    channels: z.array(z.string()).transform((v) => v.filter((c): c is RepChannel => (REP_CHANNELS as readonly string[]).includes(c))),
    cadence: z.enum(CADENCES),
  }),
});

export const viewSchema = z.strictObject({
  collateral: z.string().trim().min(1).max(64),
  action: z.enum(['view', 'download'], { error: 'action must be "view" or "download"' }),
});
