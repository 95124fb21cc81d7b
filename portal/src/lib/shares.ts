/**
 * Share links, the portal's side: the rep's links (create, list, revoke, send the replacement) and the
 * buyer's public page with its pictures and files, all through the change-notices plugin's API. Same
 * rules as `cms.ts`: server-side only, answers checked with the plugin's contracts, failures are
 * {@link CmsError}s. Buyer requests are rate-limited here, per client address, before Strapi sees them.
 */
import { RateLimiterMemory } from 'rate-limiter-flexible';
import {
  buyerViewResponseSchema,
  shareListResponseSchema,
  shareResponseSchema,
  SHARE_TOKEN_PATTERN,
  type BuyerView,
  type Share,
  type ShareActivity,
  type ShareInput,
} from '@candor/change-notices/contracts';
import { CmsError, type CmsClient } from './cms';
import { getConfig } from './config';
import { logFailure } from './problems';

const BASE = '/api/change-notices';
export type { BuyerView, Share };

export async function createShare(client: CmsClient, jwt: string, input: ShareInput): Promise<Share> {
  const { send, failure, parse } = client.transport;
  const path = `${BASE}/shares`;
  const res = await send(path, { jwt, method: 'POST', json: input });
  if (res.status !== 201) throw failure(res, path);
  return parse(shareResponseSchema, res, path).data;
}

export async function listShares(client: CmsClient, jwt: string): Promise<Share[]> {
  const { send, failure, parse } = client.transport;
  const path = `${BASE}/shares`;
  const res = await send(path, { jwt });
  if (res.status !== 200) throw failure(res, path);
  return parse(shareListResponseSchema, res, path).data;
}

/** Revoke, or send the replacement: null when the link is not the rep's (404). */
export async function shareAction(client: CmsClient, jwt: string, id: number, action: 'revoke' | 'replacement'): Promise<Share | null> {
  const { send, failure, parse } = client.transport;
  const path = `${BASE}/shares/${id}/${action}`;
  const res = await send(path, { jwt, method: 'POST' });
  if (res.status === 404) return null;
  if (res.status !== 200) throw failure(res, path);
  return parse(shareResponseSchema, res, path).data;
}

/** The buyer's page, or null for a link that does not exist (forged, truncated, unknown). */
export async function buyerView(client: CmsClient, token: string, opts: { open: boolean }): Promise<BuyerView | null> {
  if (!SHARE_TOKEN_PATTERN.test(token)) return null;
  const { send, failure, parse } = client.transport;
  const path = `${BASE}/public/shares/${token}`;
  const res = await send(path, { query: opts.open ? new URLSearchParams({ open: '1' }) : undefined });
  // 429: Strapi is slowing down misses from the portal; to this buyer it is a link that does not exist.
  if (res.status === 404 || res.status === 429) return null;
  if (res.status !== 200) throw failure(res, path);
  return parse(buyerViewResponseSchema, res, path).data;
}

/** A buyer's picture or file, streamed from Strapi with its status (410 once the item is retracted). */
export async function buyerAsset(token: string, file: string, page: string | null): Promise<Response> {
  const { strapiUrl, cmsTimeoutMs } = getConfig();
  const target = `${strapiUrl.replace(/\/+$/, '')}${BASE}/public/shares/${token}/files/${file}${page ? `/pages/${page}` : ''}`;
  try {
    return await fetch(target, { signal: AbortSignal.timeout(cmsTimeoutMs * 3), redirect: 'error' });
  } catch (err) {
    logFailure('a shared file', err);
    throw new CmsError('unreachable', 'The shared file could not be fetched.', { cause: err });
  }
}

// Per client (and link): plenty for a buyer paging through a deck; misses per client, a crawl for guessing.
const requests = new RateLimiterMemory({ points: 300, duration: 60 });
const misses = new RateLimiterMemory({ points: 20, duration: 60 });

/** False when this client has asked too often (all requests) or guessed too many links (misses). */
export async function allowBuyer(client: string, kind: 'request' | 'miss'): Promise<boolean> {
  try {
    await (kind === 'miss' ? misses : requests).consume(client || 'unknown');
    return true;
  } catch {
    return false;
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const TIMES = ['never', 'once', 'twice'];

/** "Opened twice, last yesterday, read 6 of 12 pages, 1 download", as the shares page says it. */
export function describeActivity(a: ShareActivity, now = Date.now()): string {
  if (a.opens === 0) return 'Not opened yet';
  const parts = [`Opened ${TIMES[a.opens] ?? `${a.opens} times`}`];
  if (a.lastOpenedAt) parts.push(`last ${relativeDay(a.lastOpenedAt, now)}`);
  if (a.pagesTotal > 0) parts.push(`read ${Math.min(a.pagesViewed, a.pagesTotal)} of ${plural(a.pagesTotal, 'page')}`);
  if (a.downloads > 0) parts.push(plural(a.downloads, 'download'));
  return parts.join(', ');
}

function relativeDay(iso: string, now: number): string {
  const then = new Date(iso);
  const days = Math.floor((startOfDay(now) - startOfDay(then.getTime())) / 86_400_000);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  return `on ${then.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })}`;
}
const startOfDay = (ms: number) => Math.floor(ms / 86_400_000) * 86_400_000;

/** What the rep's list says a link's state is. */
export const SHARE_STATE_LABELS: Record<Share['state'], string> = {
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
  withdrawn: 'Retracted: the buyer sees a withdrawal note',
  replaced: 'Replacement sent',
};

/** A prepared email the rep's mail client opens (mailto:), with the link and a plain note. */
export function mailtoFor(share: Share, from: string): string {
  const subject = `${share.item.title}`;
  const body = [`Hi ${share.buyer.name},`, '', `Here is "${share.item.title}", as we discussed:`, share.url, '', `The link works until ${share.expiresAt.slice(0, 10)}. It always shows the current version.`, '', 'Best regards,', from].join('\n');
  return `mailto:${encodeURIComponent(share.buyer.email)}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}
