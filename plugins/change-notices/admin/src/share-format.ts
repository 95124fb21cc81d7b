import type { Share, ShareActivity, ShareReach, ShareState } from '../../src/shared/contracts';
import { formatRelative } from './format';

/** "1 buyer", "2 buyers". */
const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

const TIMES = ['never', 'once', 'twice'];
const times = (n: number) => TIMES[n] ?? `${n.toLocaleString('en')} times`;

export const SHARE_STATE_LABELS: Record<ShareState, string> = {
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
  withdrawn: 'Withdrawn',
  replaced: 'Replaced',
};

export const SHARE_STATE_VARIANTS: Record<ShareState, 'success' | 'neutral' | 'danger' | 'warning' | 'secondary'> = {
  active: 'success',
  expired: 'neutral',
  revoked: 'neutral',
  withdrawn: 'danger',
  replaced: 'secondary',
};

/**
 * "3 links (2 active) · 2 buyers · 2 reps · 1 opened". The server's reach counts every link not
 * revoked (expired and withdrawn ones too: they still reached a buyer), so the active ones are
 * counted from the list beside it; without the list, the links are only counted.
 */
export function reachLine(reach: ShareReach, shares: Share[] | null): string {
  const active = shares?.filter((share) => share.state === 'active').length ?? null;
  const links =
    active === null ? count(reach.links, 'link') : active === reach.links ? count(reach.links, 'active link') : `${count(reach.links, 'link')} (${active.toLocaleString('en')} active)`;
  return [links, count(reach.buyers, 'buyer'), count(reach.reps, 'rep'), `${reach.opened.toLocaleString('en')} opened`].join(' · ');
}

/** "opened twice, last 2 days ago, read 6 of 12 pages, 1 download", or "not opened yet". */
export function activityLine(activity: ShareActivity, now = Date.now()): string {
  if (activity.opens === 0) return 'Not opened yet';
  const parts = [`Opened ${times(activity.opens)}`];
  if (activity.lastOpenedAt) parts.push(`last ${formatRelative(activity.lastOpenedAt, now)}`);
  if (activity.pagesTotal > 0) parts.push(`read ${activity.pagesViewed} of ${count(activity.pagesTotal, 'page')}`);
  else if (activity.pagesViewed > 0) parts.push(`read ${count(activity.pagesViewed, 'page')}`);
  if (activity.downloads > 0) parts.push(count(activity.downloads, 'download'));
  return parts.join(', ');
}
