import { z } from 'zod';
import { URGENCIES, type Channel, type Urgency } from './notices';
import type { SubjectKind } from './standing';

/**
 * Contracts of the admin API behind the "Change notices" page (marketers): notices with their
 * deliveries and acknowledgements, dead letters, outbox health and the weekly update.
 */

/** Every channel a notice can go out on, in the order the admin page shows them. */
export const DELIVERY_CHANNELS = ['email', 'inbox', 'slack', 'teams'] as const satisfies readonly Channel[];

/**
 * Where one delivery stands. `digest` waits for the rep's daily or weekly digest; `failed` gave up
 * (its outbox row is a dead letter and can be retried). A `pending` delivery with an error is being
 * retried with backoff.
 */
export const DELIVERY_STATES = ['sent', 'pending', 'digest', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** GET /change-notices/notices?page=1&pageSize=25&urgency=action_required */
export const noticeListQuerySchema = z.object({
  page: z.coerce.number({ error: 'page must be a number' }).int({ error: 'page must be a whole number' }).min(1, { error: 'page must be 1 or more' }).default(1),
  pageSize: z.coerce
    .number({ error: 'pageSize must be a number' })
    .int({ error: 'pageSize must be a whole number' })
    .min(1, { error: 'pageSize must be 1 or more' })
    .max(100, { error: 'pageSize must be at most 100' })
    .default(25),
  urgency: z.enum(URGENCIES, { error: `urgency must be one of: ${URGENCIES.join(', ')}` }).optional(),
});
export type NoticeListQuery = z.infer<typeof noticeListQuerySchema>;

/** What a notice is about: the item, its version and its title as that version recorded it. */
export interface NoticeSubject {
  kind: SubjectKind;
  documentId: string;
  version: number | null;
  /** The item's title (a claim's statement) at that version; the headline when no version names it. */
  title: string;
}

/** Deliveries of one notice on one channel, counted by state (states without deliveries are left out). */
export type ChannelCounts = Partial<Record<DeliveryState, number>>;

/** One row of GET /change-notices/notices, newest first. */
export interface AdminNoticeSummary {
  id: number;
  urgency: Urgency;
  headline: string;
  whatChanged: string;
  createdAt: string;
  /** Who made the change (a marketer, or "Candor" for automatic notices). */
  actor: string;
  subject: NoticeSubject;
  /** Reps the notice went to. */
  audience: number;
  channels: Partial<Record<Channel, ChannelCounts>>;
  /** Reps who acknowledged (action-required notices ask them to). */
  acknowledged: number;
}

export interface Pagination {
  page: number;
  pageSize: number;
  total: number;
  pageCount: number;
}

export interface AdminNoticeListResponse {
  data: AdminNoticeSummary[];
  meta: { pagination: Pagination };
}

/** One delivery as the notice detail shows it. */
export interface AdminDelivery {
  channel: Channel;
  /** Email address, or the team channel's name. */
  target: string;
  state: DeliveryState;
  sentAt: string | null;
  readAt: string | null;
  /** Send attempts so far (0 for the inbox, which needs no sending). */
  attempts: number;
  /** The last failure, also while a retry is still ahead. */
  error: string | null;
  /** The outbox row that sends it: a failed delivery is retried through POST /dead-letters/:outboxId/retry. */
  outboxId: number | null;
}

/** A rep the notice went to, with whether and how they acknowledged it. */
export interface AdminRecipient {
  userId: number;
  name: string;
  email: string;
  acknowledgedAt: string | null;
  /** `portal` (the inbox) or `email` (the signed link). */
  acknowledgedVia: 'portal' | 'email' | null;
  deliveries: AdminDelivery[];
}

/** GET /change-notices/notices/:id */
export interface AdminNoticeDetail {
  id: number;
  urgency: Urgency;
  headline: string;
  whatChanged: string;
  why: string | null;
  whatToDo: string;
  link: string;
  details: string[];
  createdAt: string;
  actor: string;
  subject: NoticeSubject;
  audience: number;
  acknowledged: number;
  recipients: AdminRecipient[];
  /** Slack and Teams channels configured for the whole team. */
  teamChannels: AdminDelivery[];
}

/** One row of GET /change-notices/dead-letters: an outbox job that gave up. */
export interface DeadLetter {
  id: number;
  topic: string;
  key: string;
  attempts: number;
  error: string | null;
  createdAt: string;
  payload: unknown;
  /** For a notice delivery: which notice, on which channel, to whom. Null for other jobs. */
  delivery: { noticeId: number; headline: string | null; channel: Channel; target: string } | null;
}

/** Outbox rows by state. `leased` rows are being worked on by a dispatcher right now. */
export interface OutboxCounts {
  pending: number;
  leased: number;
  done: number;
  dead: number;
}

/** GET /change-notices/outbox/stats */
export interface OutboxStats extends OutboxCounts {
  /** When the oldest job still waiting was written: a large age means the dispatcher is behind or off. */
  oldestPendingAt: string | null;
  byTopic: Array<{ topic: string } & OutboxCounts>;
}

/** GET /change-notices/weekly-update: the last seven days, as the Monday email tells them. */
export const weeklyUpdateSchema = z.object({
  from: z.string(),
  to: z.string(),
  created: z.array(z.object({ title: z.string(), link: z.string() })),
  updated: z.array(z.object({ title: z.string(), summary: z.string(), link: z.string() })),
  scaledBack: z.array(z.object({ title: z.string(), reason: z.string().nullable(), nowTrue: z.string().nullable() })),
  retracted: z.array(z.object({ title: z.string(), reason: z.string().nullable() })),
  openFeedback: z.number().int(),
  /** Action-required notices of the week: acknowledgements out of the reps they went to. */
  acknowledgement: z.object({ notices: z.number().int(), expected: z.number().int(), acknowledged: z.number().int(), rate: z.number().nullable() }),
});
export type WeeklyUpdate = z.infer<typeof weeklyUpdateSchema>;
