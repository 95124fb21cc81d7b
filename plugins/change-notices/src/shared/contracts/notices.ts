import { z } from 'zod';

export const URGENCIES = ['action_required', 'fyi'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const REP_CHANNELS = ['inbox', 'email'] as const;
export type RepChannel = (typeof REP_CHANNELS)[number];
export type Channel = RepChannel | 'slack' | 'teams';

export const CADENCES = ['instant', 'daily', 'weekly'] as const;
export type Cadence = (typeof CADENCES)[number];

export const COLLATERAL_KINDS = ['deck', 'one_pager', 'battlecard', 'case_study', 'pricing_sheet', 'email_template', 'talk_track', 'video'] as const;

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
export interface InboxNotice {
  id: number;
  urgency: Urgency;
  headline: string;
  whatChanged: string;
  why: string | null;
  whatToDo: string;
  link: string;
  /**
   * Extra lines the email and Slack bodies carry too: "Note from marketing: ..." and, for a claim,
   * one "Affected: <title> (<portal URL>)" per collateral that makes it.
   */
  details: string[];
  subject: { kind: 'collateral' | 'claim'; documentId: string; version: number | null };
  actor: string;
  createdAt: string;
  readAt: string | null;
  acknowledgedAt: string | null;
}

/** A rep's subscription. Empty lists mean "everything". Action-required notices ignore the cadence. */
export const subscriptionSchema = z.strictObject({
  products: z.array(z.string().trim().min(1).max(120)).max(200, { error: 'products: at most 200' }),
  regions: z.array(z.string().trim().min(1).max(120)).max(200, { error: 'regions: at most 200' }),
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

export const viewSchema = z.strictObject({
  collateral: z.string().trim().min(1).max(64),
  action: z.enum(['view', 'download'], { error: 'action must be "view" or "download"' }),
});
