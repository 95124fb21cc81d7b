/**
 * The registry of outbox topics: for each, the zod schema of its payload and the builder of its
 * idempotency key. Modules enqueue with `outboxJob(topic, payload)` and register a handler that gets
 * the parsed payload, so nobody writes a key or casts a payload by hand. Handlers are attached by the
 * module that owns the work (`dispatcher.register`), which keeps this floor free of the others.
 */
import { z } from 'zod';
import { CADENCES, noticeDraftSchema, SUBJECT_KINDS, URGENCIES, weeklyUpdateSchema } from '../../shared/contracts';

const documentId = z.string().min(1).max(64);
const id = z.number().int().positive();

/** Why a collateral's search document is synced: its own version, a claim it makes, or its removal. */
const searchCause = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('version'), number: z.number().int() }),
  z.object({ kind: z.literal('claim'), claimDocumentId: documentId, number: z.number().int() }),
  z.object({ kind: z.literal('removed'), action: z.string().min(1).max(16), at: z.number().int() }),
  z.object({ kind: z.literal('file'), fileId: z.number().int().positive(), contentHash: z.string().min(1).max(64) }),
]);

const actor = z.object({ kind: z.enum(['admin', 'user', 'system']).optional(), id: z.number().int().nullable().optional(), name: z.string() });

/** Keys are stored in a 255-character column and end up in Message-IDs: keep their parts plain. */
const part = (v: string | number) => String(v);

/**
 * Claim order, lowest first. A change's notice and inbox rows, and search, come before any channel
 * send; reading an uploaded file right after them (its text is part of what search says is true, and
 * it must not wait behind a fan-out's 10,000 emails); action-required sends before informational
 * ones; batch mail last.
 */
export const PRIORITY = { truth: 0, files: 5, urgentSend: 10, mail: 15, send: 20, batch: 30 } as const;

export const TOPICS = {
  /** Bring one collateral's search document in line with its current published state. */
  'search.sync': {
    priority: () => PRIORITY.truth,
    payload: z.object({ documentId, cause: searchCause.optional() }),
    key: (p: { documentId: string; cause?: z.infer<typeof searchCause> }) => {
      const c = p.cause ?? { kind: 'removed', action: 'sync', at: Date.now() };
      if (c.kind === 'version') return `search:${p.documentId}:v${c.number}`;
      if (c.kind === 'claim') return `search:${p.documentId}:claim:${c.claimDocumentId}:v${c.number}`;
      if (c.kind === 'file') return `search:${p.documentId}:file:${c.fileId}:${c.contentHash}`;
      return `search:${p.documentId}:${c.action}:${c.at}`;
    },
  },
  /** Tell the reps concerned about a new version (publish or standing change). */
  'notice.version': {
    priority: () => PRIORITY.truth,
    payload: z.object({
      uid: z.enum([SUBJECT_KINDS.collateral, SUBJECT_KINDS.claim]),
      documentId,
      version: z.number().int().positive(),
      urgency: z.enum(URGENCIES),
      actor,
      /** For a claim: the collateral that makes it, flagged for review by this change. */
      flagged: z.array(documentId).optional(),
    }),
    key: (p: { uid: string; documentId: string; version: number }) => `notice:${p.uid}:${p.documentId}:v${p.version}`,
  },
  /** Send one notice to one recipient on one channel (email, Slack, Teams). */
  'notice.deliver': {
    priority: (p: { urgency?: string }) => (p.urgency === 'fyi' ? PRIORITY.send : PRIORITY.urgentSend),
    /** One lane per notice: the senders take turns between notices. */
    lane: (p: { noticeId?: number }) => (p.noticeId == null ? null : `notice:${p.noticeId}`),
    payload: z.object({ deliveryId: id, noticeId: id.optional(), urgency: z.enum(URGENCIES).optional() }),
    key: (p: { deliveryId: number }) => `deliver:${part(p.deliveryId)}`,
  },
  /**
   * Send a run of one notice's push deliveries, oldest first: the fan-out writes one row per
   * `deliveriesPerJob` deliveries, so 10,000 emails are a few hundred rows to claim, not 10,000. A
   * delivery that fails here is handed to a `notice.deliver` row of its own (retries, dead letter).
   */
  'notice.deliver-batch': {
    priority: (p: { urgency?: string }) => (p.urgency === 'fyi' ? PRIORITY.send : PRIORITY.urgentSend),
    lane: (p: { noticeId: number }) => `notice:${p.noticeId}`,
    payload: z.object({ noticeId: id, urgency: z.enum(URGENCIES), deliveryIds: z.array(id).min(1).max(1000) }),
    // A delivery is in one batch only (the fan-out batches the rows it has just inserted): its first id names it.
    key: (p: { noticeId: number; deliveryIds: number[] }) => `deliver-batch:${part(p.noticeId)}:${part(p.deliveryIds[0]!)}`,
  },
  /** Remind one rep of an action-required notice they have not acknowledged. */
  'notice.remind': {
    priority: () => PRIORITY.send,
    payload: z.object({ noticeId: id, userId: id }),
    key: (p: { noticeId: number; userId: number }) => `remind:${part(p.noticeId)}:${part(p.userId)}`,
  },
  /** A notice for named users only (e.g. "your suggestion shipped"). */
  'notice.direct': {
    priority: () => PRIORITY.truth,
    payload: z.object({ draft: noticeDraftSchema, userIds: z.array(id) }),
    key: (p: { draft: { key: string } }) => `direct:${p.draft.key}`,
  },
  /** A collateral was retracted: tell every rep who shared it which of their buyers hold a link. */
  'shares.retracted': {
    priority: () => PRIORITY.truth,
    payload: z.object({ documentId, version: z.number().int().positive() }),
    key: (p: { documentId: string; version: number }) => `shares-retracted:${p.documentId}:v${part(p.version)}`,
  },
  /** One prepared email to one address (e.g. a collateral owner hearing of new feedback). */
  'mail.send': {
    priority: () => PRIORITY.mail,
    payload: z.object({
      /** What the mail is about, unique per mail: also its Message-ID. */
      ref: z.string().min(1).max(200),
      to: z.string().min(3).max(320),
      subject: z.string(),
      text: z.string(),
      html: z.string(),
    }),
    key: (p: { ref: string }) => p.ref,
  },
  /** One digest email of waiting informational notices for one rep. */
  'notice.digest': {
    priority: () => PRIORITY.batch,
    payload: z.object({ userId: id, deliveryIds: z.array(id), cadence: z.enum(CADENCES), period: z.string().min(1).max(40) }),
    key: (p: { userId: number; cadence: string; period: string }) => `digest:${p.cadence}:${p.period}:${part(p.userId)}`,
  },
  /** The weekly update to one person (sales or marketing). */
  'weekly.update': {
    priority: () => PRIORITY.batch,
    payload: z.object({ to: z.string().min(3).max(320), week: z.string().min(1).max(20), update: weeklyUpdateSchema }),
    key: (p: { to: string; week: string }) => `weekly:${p.week}:${p.to}`,
  },
  /**
   * Read the text of one uploaded file. A replacement keeps the upload's id and hash (its URL stays),
   * so the key names the moment the bytes were written.
   */
  'file.extract': {
    priority: () => PRIORITY.files,
    payload: z.object({ fileId: id, writtenAt: z.number().int().nonnegative() }),
    key: (p: { fileId: number; writtenAt: number }) => `extract:${part(p.fileId)}:${part(p.writtenAt)}`,
  },
  /** A collateral is past its review-by date: tell its owner. */
  'owner.review-overdue': {
    priority: () => PRIORITY.mail,
    payload: z.object({ documentId, title: z.string(), slug: z.string(), reviewBy: z.string(), ownerEmail: z.string().nullable() }),
    key: (p: { documentId: string; reviewBy: string }) => `stale:${p.documentId}:${p.reviewBy}`,
  },
} as const;

export type OutboxTopic = keyof typeof TOPICS;
export const OUTBOX_TOPIC_NAMES = Object.keys(TOPICS) as OutboxTopic[];

interface TopicDefinition<T extends OutboxTopic> {
  payload: z.ZodType;
  key(p: PayloadOf<T>): string;
  priority(p: PayloadOf<T>): number;
  lane?(p: PayloadOf<T>): string | null;
}

/** What a handler of `topic` receives, parsed. */
export type PayloadOf<T extends OutboxTopic> = z.infer<(typeof TOPICS)[T]['payload']>;

/** A row to write: the topic, its payload and the key the topic builds from it. */
export interface OutboxMessage<T extends OutboxTopic = OutboxTopic> {
  topic: T;
  key: string;
  payload: PayloadOf<T>;
  /** Claim order, lowest first (PRIORITY). */
  priority: number;
  /** Rows of one lane take turns with other lanes' rows of the same priority. */
  lane: string | null;
  /** Deliver no earlier than this (epoch ms); default now. */
  availableAt?: number;
  /** Tries already made elsewhere (a batch job handing over a delivery that failed in it). */
  attempts?: number;
  /** Stored as a dead letter with this error: a failure that retrying cannot fix, already seen. */
  deadLetter?: string;
}

/** The one way to make an outbox row: the payload is checked and the key built by the topic. */
export function outboxJob<T extends OutboxTopic>(topic: T, payload: PayloadOf<T>, opts: Pick<OutboxMessage, 'availableAt' | 'attempts' | 'deadLetter'> = {}): OutboxMessage<T> {
  const def: TopicDefinition<T> = TOPICS[topic] as unknown as TopicDefinition<T>;
  const parsed = def.payload.parse(payload) as PayloadOf<T>;
  return { topic, key: def.key(parsed), payload: parsed, priority: def.priority(parsed), lane: def.lane?.(parsed) ?? null, ...opts };
}

/** Parses a stored payload for its topic; null when it does not fit (a row written by an older build). */
export function parsePayload<T extends OutboxTopic>(topic: T, raw: unknown): PayloadOf<T> | null {
  const parsed = TOPICS[topic].payload.safeParse(raw);
  return parsed.success ? (parsed.data as PayloadOf<T>) : null;
}

export const isTopic = (name: string): name is OutboxTopic => Object.hasOwn(TOPICS, name);
