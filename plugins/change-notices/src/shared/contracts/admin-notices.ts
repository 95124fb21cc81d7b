import { z } from 'zod';
import { URGENCIES, type Channel } from './notices';
import { paginationSchema } from './response';
import { subjectKindSchema } from './standing';

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
export const noticeSubjectSchema = z.object({
  kind: subjectKindSchema,
  documentId: z.string(),
  version: z.number().int().nullable(),
  /** The item's title (a claim's statement) at that version; the headline when no version names it. */
  title: z.string(),
});
export type NoticeSubject = z.infer<typeof noticeSubjectSchema>;

const channelSchema = z.enum(DELIVERY_CHANNELS);

/** Deliveries of one notice on one channel, counted by state (states without deliveries are left out). */
export const channelCountsSchema = z.partialRecord(z.enum(DELIVERY_STATES), z.number().int());
export type ChannelCounts = z.infer<typeof channelCountsSchema>;

/** One row of GET /change-notices/notices, newest first. */
export const adminNoticeSummarySchema = z.object({
  id: z.number().int(),
  urgency: z.enum(URGENCIES),
  headline: z.string(),
  whatChanged: z.string(),
  createdAt: z.string(),
  /** Who made the change (a marketer, or "Candor" for automatic notices). */
  actor: z.string(),
  subject: noticeSubjectSchema,
  /** Reps the notice went to. */
  audience: z.number().int(),
  channels: z.partialRecord(channelSchema, channelCountsSchema),
  /** Reps who acknowledged (action-required notices ask them to). */
  acknowledged: z.number().int(),
});
export type AdminNoticeSummary = z.infer<typeof adminNoticeSummarySchema>;

/** GET /change-notices/notices */
export const adminNoticeListResponseSchema = z.object({ data: z.array(adminNoticeSummarySchema), meta: z.object({ pagination: paginationSchema }) });
export type AdminNoticeListResponse = z.infer<typeof adminNoticeListResponseSchema>;

/** One delivery as the notice detail shows it. */
export const adminDeliverySchema = z.object({
  channel: channelSchema,
  /** Email address, or the team channel's name. */
  target: z.string(),
  state: z.enum(DELIVERY_STATES),
  sentAt: z.string().nullable(),
  readAt: z.string().nullable(),
  /** Send attempts so far (0 for the inbox, which needs no sending). */
  attempts: z.number().int(),
  /** The last failure, also while a retry is still ahead. */
  error: z.string().nullable(),
  /** The outbox row that sends it: a failed delivery is retried through POST /dead-letters/:outboxId/retry. */
  outboxId: z.number().int().nullable(),
});
export type AdminDelivery = z.infer<typeof adminDeliverySchema>;

/** A rep the notice went to, with whether and how they acknowledged it. */
export const adminRecipientSchema = z.object({
  userId: z.number().int(),
  name: z.string(),
  email: z.string(),
  acknowledgedAt: z.string().nullable(),
  /** `portal` (the inbox) or `email` (the signed link). */
  acknowledgedVia: z.enum(['portal', 'email']).nullable(),
  deliveries: z.array(adminDeliverySchema),
});
export type AdminRecipient = z.infer<typeof adminRecipientSchema>;

/** One notice with every recipient and delivery. */
export const adminNoticeDetailSchema = z.object({
  id: z.number().int(),
  urgency: z.enum(URGENCIES),
  headline: z.string(),
  whatChanged: z.string(),
  why: z.string().nullable(),
  whatToDo: z.string(),
  link: z.string(),
  details: z.array(z.string()),
  createdAt: z.string(),
  actor: z.string(),
  subject: noticeSubjectSchema,
  audience: z.number().int(),
  acknowledged: z.number().int(),
  recipients: z.array(adminRecipientSchema),
  /** Slack and Teams channels configured for the whole team. */
  teamChannels: z.array(adminDeliverySchema),
});
export type AdminNoticeDetail = z.infer<typeof adminNoticeDetailSchema>;

/** GET /change-notices/notices/:id */
export const adminNoticeDetailResponseSchema = z.object({ data: adminNoticeDetailSchema });

/** An outbox job that gave up. */
export const deadLetterSchema = z.object({
  id: z.number().int(),
  topic: z.string(),
  key: z.string(),
  attempts: z.number().int(),
  error: z.string().nullable(),
  createdAt: z.string(),
  payload: z.unknown(),
  /** For a notice delivery: which notice, on which channel, to whom. Null for other jobs. */
  delivery: z.object({ noticeId: z.number().int(), headline: z.string().nullable(), channel: channelSchema, target: z.string() }).nullable(),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;

/** GET /change-notices/dead-letters, newest first. */
export const deadLettersResponseSchema = z.object({ data: z.array(deadLetterSchema) });

/** POST /change-notices/dead-letters/:id/retry: the job waits for the dispatcher again. */
export const retryResponseSchema = z.object({ data: z.object({ id: z.number().int(), state: z.literal('pending') }) });

/** Outbox rows by state. `leased` rows are being worked on by a dispatcher right now. */
export const outboxCountsSchema = z.object({
  pending: z.number().int(),
  leased: z.number().int(),
  done: z.number().int(),
  dead: z.number().int(),
});
export type OutboxCounts = z.infer<typeof outboxCountsSchema>;

export const outboxStatsSchema = outboxCountsSchema.extend({
  /** When the oldest job still waiting was written: a large age means the dispatcher is behind or off. */
  oldestPendingAt: z.string().nullable(),
  byTopic: z.array(outboxCountsSchema.extend({ topic: z.string() })),
});
export type OutboxStats = z.infer<typeof outboxStatsSchema>;

/** GET /change-notices/outbox/stats */
export const outboxStatsResponseSchema = z.object({ data: outboxStatsSchema });

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

/** GET /change-notices/weekly-update */
export const weeklyUpdateResponseSchema = z.object({ data: weeklyUpdateSchema });
