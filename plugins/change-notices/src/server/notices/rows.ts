/** The notices module's tables as stored, and the conversions every query shares. */
import { DEFAULT_SUBSCRIPTION, type Cadence, type InboxNotice, type RepChannel, type Subscription, type SubjectUid, type Urgency } from '../../shared/contracts';
import { SUBJECTS } from '../subjects';
import { TABLES, parseJson, tableIn, toMillis } from '../database/tables';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

export type Millis = number | string;

export interface NoticeRow {
  id: number;
  notice_key: string;
  urgency: Urgency;
  subject_uid: SubjectUid;
  subject_document_id: string;
  version: number | null;
  headline: string;
  what_changed: string;
  why: string | null;
  what_to_do: string;
  link: string;
  details: string;
  actor_name: string;
  audience: number;
  created_at: Millis;
  reminded_at: Millis | null;
}

export interface DeliveryRow {
  id: number;
  notice_id: number;
  user_id: number | null;
  channel: 'inbox' | 'email' | 'slack' | 'teams';
  target: string;
  state: 'sent' | 'pending' | 'digest';
  sent_at: Millis | null;
  read_at: Millis | null;
  last_error: string | null;
  created_at: Millis;
}

export interface AckRow {
  id: number;
  notice_id: number;
  user_id: number;
  via: 'portal' | 'email';
  created_at: Millis;
}

export interface SubscriptionRow {
  user_id: number;
  products: string;
  regions: string;
  kinds: string;
  channels: string;
  cadence: Cadence;
  updated_at: Millis;
}

export const iso = (v: Millis | null | undefined): string | null => (v == null ? null : new Date(toMillis(v)).toISOString());

/** A stored subscription, or the default one for a rep who never saved theirs. */
export function toSubscription(row: SubscriptionRow | undefined): Subscription {
  if (!row) return DEFAULT_SUBSCRIPTION;
  return {
    products: parseJson<string[]>(row.products),
    regions: parseJson<string[]>(row.regions),
    kinds: parseJson<Subscription['kinds']>(row.kinds),
    channels: parseJson<RepChannel[]>(row.channels),
    cadence: row.cadence,
  };
}

/** A notice as the rep's inbox lists it. */
export function toInboxNotice(r: NoticeRow & { read_at: Millis | null; acked_at: Millis | null }): InboxNotice {
  return {
    id: Number(r.id),
    urgency: r.urgency,
    headline: r.headline,
    whatChanged: r.what_changed,
    why: r.why,
    whatToDo: r.what_to_do,
    link: r.link,
    details: parseJson<string[]>(r.details) ?? [],
    subject: { kind: SUBJECTS.byUid(r.subject_uid).kind, documentId: r.subject_document_id, version: r.version == null ? null : Number(r.version) },
    actor: r.actor_name,
    createdAt: iso(r.created_at)!,
    readAt: iso(r.read_at),
    acknowledgedAt: iso(r.acked_at),
  };
}

/**
 * A rep's inbox deliveries joined with their notice and the rep's acknowledgement (if any): the one
 * join the inbox, its counts and the reminders read.
 */
export function inboxJoin(strapi: Core.Strapi, trx?: Knex.Transaction | null): Knex.QueryBuilder {
  const { deliveries: d, notices: n, acks: a } = TABLES;
  return tableIn(strapi, trx, d)
    .join(n, `${n}.id`, `${d}.notice_id`)
    .leftJoin(a, (j) => j.on(`${a}.notice_id`, '=', `${n}.id`).andOn(`${a}.user_id`, '=', `${d}.user_id`))
    .where(`${d}.channel`, 'inbox');
}
