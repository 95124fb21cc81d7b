import type { Channel, DeliveryState, Urgency } from '../../../../src/shared/contracts';

export const CHANNEL_LABELS: Record<Channel, string> = {
  email: 'Email',
  inbox: 'Portal inbox',
  slack: 'Slack',
  teams: 'Teams',
};

export const URGENCY_LABELS: Record<Urgency, string> = {
  action_required: 'Action required',
  fyi: 'FYI',
};

/** How one delivery's state reads; the inbox needs no sending, so "sent" there means "in the inbox". */
export function deliveryStateLabel(state: DeliveryState, channel: Channel): string {
  if (state === 'sent') return channel === 'inbox' ? 'In inbox' : 'Delivered';
  if (state === 'pending') return 'Sending';
  if (state === 'digest') return 'In next digest';
  return 'Failed';
}

export const STATE_VARIANTS: Record<DeliveryState, 'success' | 'secondary' | 'neutral' | 'danger'> = {
  sent: 'success',
  pending: 'secondary',
  digest: 'neutral',
  failed: 'danger',
};

/** "1 rep", "2 reps". */
export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** Outbox topics as a marketer reads them. */
export const TOPIC_LABELS: Record<string, string> = {
  'notice.deliver': 'Notice delivery',
  'notice.deliver-batch': 'Notice deliveries (a batch)',
  'notice.version': 'Notice to compose',
  'notice.remind': 'Reminder',
  'notice.direct': 'Personal notice',
  'notice.digest': 'Digest email',
  'weekly.update': 'Weekly update email',
  'mail.send': 'Email',
  'search.sync': 'Search index update',
  'owner.review-overdue': 'Review-due email',
};
