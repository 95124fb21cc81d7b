/**
 * The rep's change notices, what changed lately and their subscription, from the change-notices
 * plugin's content API (`/api/change-notices/...`). Same rules as `cms.ts`: server-side only, every
 * answer checked with zod, every failure a {@link CmsError}. The functions take the page's client (the
 * one `loadForRep()` hands out) so they share its transport and timeout.
 */
import {
  acknowledgementResponseSchema,
  inboxCountResponseSchema,
  inboxResponseSchema,
  recentResponseSchema,
  subscriptionResponseSchema,
  taxonListResponseSchema,
  type InboxCount,
  type InboxNotice,
  type RecentVersion,
  type Subscription,
} from '@candor/change-notices/contracts';
import type { CmsClient, Pagination, Taxon } from './cms';
import { safeNextPath } from './session';

const BASE = '/api/change-notices';

// Responses are checked with the plugin's own contracts, the schemas its controllers shape them with.
export type Notice = InboxNotice;
export type RecentItem = RecentVersion;
export type NoticeCount = InboxCount;

// ---------------------------------------------------------------------------------------------------

/** The inbox views the API offers: everything, unread, or action required and not yet acknowledged. */
export const INBOX_FILTERS = ['all', 'unread', 'action_required'] as const;
export type InboxFilter = (typeof INBOX_FILTERS)[number];

export interface InboxQuery {
  filter?: InboxFilter;
  page?: number;
  pageSize?: number;
}

/** One page of the rep's notices, newest first. */
export async function listNotices(client: CmsClient, jwt: string, query: InboxQuery = {}): Promise<{ items: Notice[]; pagination: Pagination }> {
  const { send, failure, parse } = client.transport;
  const path = `${BASE}/inbox`;
  const params = new URLSearchParams({ filter: query.filter ?? 'all', page: String(query.page ?? 1), pageSize: String(query.pageSize ?? 20) });
  const res = await send(path, { jwt, query: params });
  if (res.status !== 200) throw failure(res, path);
  const { data, meta } = parse(inboxResponseSchema, res, path);
  return { items: data, pagination: meta.pagination };
}

/** How many notices are unread, and how many still need the rep's acknowledgement. */
export async function noticeCount(client: CmsClient, jwt: string): Promise<NoticeCount> {
  const { send, failure, parse } = client.transport;
  const path = `${BASE}/inbox/count`;
  const res = await send(path, { jwt });
  if (res.status !== 200) throw failure(res, path);
  return parse(inboxCountResponseSchema, res, path).data;
}

/** Marks a notice read. False when the rep has no such notice. */
export async function markNoticeRead(client: CmsClient, jwt: string, id: number): Promise<boolean> {
  const { send, failure } = client.transport;
  const path = `${BASE}/inbox/${id}/read`;
  const res = await send(path, { jwt, method: 'POST' });
  if (res.status === 404) return false;
  if (res.status !== 200) throw failure(res, path);
  return true;
}

/** Acknowledges a notice (idempotent: the first acknowledgement stands). Null when the rep has no such notice. */
export async function acknowledgeNotice(client: CmsClient, jwt: string, id: number): Promise<{ acknowledgedAt: string } | null> {
  const { send, failure, parse } = client.transport;
  const path = `${BASE}/inbox/${id}/acknowledge`;
  const res = await send(path, { jwt, method: 'POST' });
  if (res.status === 404) return null;
  if (res.status !== 200) throw failure(res, path);
  return { acknowledgedAt: parse(acknowledgementResponseSchema, res, path).data.acknowledgedAt };
}

/** Collateral first published (`created`) and changed (`changed`) in the last `days` days, newest first. */
export async function recentChanges(client: CmsClient, jwt: string, query: { days?: number; limit?: number } = {}): Promise<{ created: RecentItem[]; changed: RecentItem[] }> {
  const { send, failure, parse } = client.transport;
  const path = `${BASE}/recent`;
  const res = await send(path, { jwt, query: new URLSearchParams({ days: String(query.days ?? 7), limit: String(query.limit ?? 20) }) });
  if (res.status !== 200) throw failure(res, path);
  return parse(recentResponseSchema, res, path).data;
}

/** The rep's subscription (the plugin's default until they save one). */
export async function getSubscription(client: CmsClient, jwt: string): Promise<Subscription> {
  const { send, failure, parse } = client.transport;
  const path = `${BASE}/subscription`;
  const res = await send(path, { jwt });
  if (res.status !== 200) throw failure(res, path);
  return parse(subscriptionResponseSchema, res, path).data;
}

/** Saves the rep's subscription. @throws CmsError `rejected` with the plugin's message when it refuses the values. */
export async function saveSubscription(client: CmsClient, jwt: string, subscription: Subscription): Promise<Subscription> {
  const { send, failure, parse } = client.transport;
  const path = `${BASE}/subscription`;
  const res = await send(path, { jwt, method: 'PUT', json: { data: subscription } });
  if (res.status !== 200) throw failure(res, path);
  return parse(subscriptionResponseSchema, res, path).data;
}

/** Every region, by name, for the subscription form. */
export async function listRegions(client: CmsClient, jwt: string): Promise<Taxon[]> {
  const { send, failure, parse } = client.transport;
  const path = '/api/regions';
  const res = await send(path, { jwt, query: new URLSearchParams({ 'fields[0]': 'name', 'fields[1]': 'slug', 'sort[0]': 'name:asc', 'pagination[pageSize]': '100' }) });
  if (res.status !== 200) throw failure(res, path);
  return parse(taxonListResponseSchema, res, path).data;
}

// ---------------------------------------------------------------------------------------------------
// Pure helpers for the pages.

const PORTAL_LINK = /^\/(?:collateral\/[a-z0-9-]{1,200}|notices)$/;

/**
 * The portal path a notice links to. The CMS writes absolute links with its idea of the portal's URL
 * (for email); on the portal itself only the path matters, and only the item pages and the inbox are
 * linked to. Anything else (another site, a malformed link) gives null and no link.
 */
export function noticePath(link: string): string | null {
  let url: URL;
  try {
    url = new URL(link, 'http://portal.invalid');
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const path = url.pathname.replace(/\/+$/, '');
  return PORTAL_LINK.test(path) ? path : null;
}

export interface NoticeDetails {
  /** Collateral a claim change affects, linked on the portal. */
  affected: { title: string; href: string | null }[];
  /** Marketing's note on the change, if any. */
  note: string | null;
  /** Lines of no known form, shown as they are. */
  other: string[];
}

/**
 * Reads a notice's extra lines, written for email ("Affected: <title> (<url>)", "Note from
 * marketing: ..."), into what the inbox shows: affected material as portal links, the note apart.
 */
export function noticeDetails(details: string[]): NoticeDetails {
  const out: NoticeDetails = { affected: [], note: null, other: [] };
  for (const line of details) {
    const affected = /^Affected: (.+) \((\S+)\)$/.exec(line);
    const note = /^Note from marketing: ([\s\S]+)$/.exec(line);
    if (affected) out.affected.push({ title: affected[1]!, href: noticePath(affected[2]!) });
    else if (note && out.note === null) out.note = note[1]!.trim();
    else if (line.trim()) out.other.push(line.trim());
  }
  return out;
}

/** Whether the rep still has to acknowledge this notice. */
export function needsAcknowledgement(notice: Pick<Notice, 'urgency' | 'acknowledgedAt'>): boolean {
  return notice.urgency === 'action_required' && notice.acknowledgedAt === null;
}

/** The inbox filter from the address bar (`?filter=unread`); anything unknown is "all". */
export function inboxFilterFrom(raw: string | null): InboxFilter {
  return (INBOX_FILTERS as readonly string[]).includes(raw ?? '') ? (raw as InboxFilter) : 'all';
}

/** Query parameters that report the outcome of an acknowledgement, replaced on every redirect. */
export const ACK_PARAMS = { done: 'acknowledged', failed: 'ack_failed' } as const;

/**
 * Where the acknowledge form sends the rep back to: the page they were on (a same-site path, as the
 * hidden `back` field says), with the outcome in the query. Earlier outcomes are dropped.
 */
export function ackRedirect(back: unknown, outcome: keyof typeof ACK_PARAMS, id: number | ''): string {
  const path = safeNextPath(back);
  const url = new URL(path, 'http://portal.invalid');
  for (const p of Object.values(ACK_PARAMS)) url.searchParams.delete(p);
  url.searchParams.set(ACK_PARAMS[outcome], String(id));
  return `${url.pathname}${url.search}`;
}

/** What an acknowledgement outcome in the query says to the rep, if anything. */
export function ackOutcome(params: URLSearchParams): { tone: 'ok' | 'error'; message: string } | null {
  if (params.has(ACK_PARAMS.failed)) {
    return { tone: 'error', message: 'The notice could not be acknowledged because the content service did not answer. Try again in a minute.' };
  }
  if (!params.has(ACK_PARAMS.done)) return null;
  // The email link lands here with an empty id when the notice was not the rep's.
  return /^[1-9]\d{0,15}$/.test(params.get(ACK_PARAMS.done) ?? '')
    ? { tone: 'ok', message: 'Acknowledged. Thank you: marketing can see you know about this change.' }
    : { tone: 'error', message: 'That notice is not in your inbox, so nothing was acknowledged.' };
}

const DATE_TIME = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'UTC' });

/** "24 Nov 2026, 10:03 UTC" for an ISO time; null when unreadable. Notices are about hours, not days. */
export function formatDateTime(value: string | null | undefined): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : `${DATE_TIME.format(date)} UTC`;
}
