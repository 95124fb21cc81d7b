/**
 * The subscription form: what a rep can choose, and turning the posted form into a subscription the
 * plugin accepts, with one plain-English message per field when it is not. The plugin's own
 * `subscriptionSchema` has the last word; the portal's checks come first only to say things better.
 */
import { z } from 'astro/zod';
import { CADENCES, COLLATERAL_KINDS, REP_CHANNELS, subscriptionSchema, type Cadence, type RepChannel, type Subscription } from '@candor/change-notices/contracts';
import type { CollateralKind, Taxon } from './cms';

export const SUBSCRIPTION_FIELDS = ['products', 'regions', 'kinds', 'channels', 'cadence'] as const;
export type SubscriptionField = (typeof SUBSCRIPTION_FIELDS)[number];
export type FieldErrors = Partial<Record<SubscriptionField, string>>;

export const CHANNEL_LABELS: Record<RepChannel, { label: string; hint: string }> = {
  inbox: { label: 'Candor inbox', hint: 'Always on: every notice lands in Notices.' },
  email: { label: 'Email', hint: 'Sent to the address you sign in with.' },
};

export const CADENCE_LABELS: Record<Cadence, { label: string; hint: string }> = {
  instant: { label: 'As it happens', hint: 'One email per change.' },
  daily: { label: 'Daily digest', hint: 'One email a day with the informational changes.' },
  weekly: { label: 'Weekly digest', hint: 'One email a week with the informational changes.' },
};

/** What the form offers: the CMS's products and regions, the known kinds. */
export interface SubscriptionOptions {
  products: Taxon[];
  regions: Taxon[];
}

/** The field a message belongs to, for the plugin's own messages ("channels: ..."). */
const FALLBACK: Record<SubscriptionField, string> = {
  products: 'Choose products from the list.',
  regions: 'Choose regions from the list.',
  kinds: 'Choose kinds of material from the list.',
  channels: 'Choose email or leave it off; the Candor inbox is always on.',
  cadence: 'Choose how often to get informational emails: as it happens, daily or weekly.',
};

const quote = (values: string[]) => values.map((v) => `“${v.slice(0, 60)}”`).join(', ');

/** Values from a list of known slugs, with a readable complaint about the others. */
const oneOf = (known: readonly string[], what: string, plural: string) =>
  z.array(z.string()).superRefine((values, ctx) => {
    const unknown = values.filter((v) => !known.includes(v));
    if (unknown.length > 0) {
      ctx.addIssue({ code: 'custom', message: `${quote(unknown)} ${unknown.length === 1 ? `is not a ${what}` : `are not ${plural}`} we know. Choose from the list.` });
    }
  });

function formSchema(options: SubscriptionOptions) {
  return z.object({
    products: oneOf(
      options.products.map((p) => p.slug),
      'product',
      'products'
    ),
    regions: oneOf(
      options.regions.map((r) => r.slug),
      'region',
      'regions'
    ),
    kinds: oneOf(COLLATERAL_KINDS, 'kind of material', 'kinds of material'),
    channels: oneOf(REP_CHANNELS, 'channel', 'channels').refine((c) => c.includes('inbox'), {
      message: 'The Candor inbox cannot be turned off: keep it ticked.',
    }),
    cadence: z.enum(CADENCES, { error: FALLBACK.cadence }),
  });
}

/** A form value list with empty strings and repeats removed. */
const values = (form: FormData | URLSearchParams, name: string) => [...new Set(form.getAll(name).filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()))];

export type SubscriptionFormResult =
  | { ok: true; subscription: Subscription }
  /** `submitted` keeps what the rep chose, so the form shows it again beside the errors. */
  | { ok: false; errors: FieldErrors; submitted: { products: string[]; regions: string[]; kinds: string[]; channels: string[]; cadence: string } };

/** Reads and checks the posted form. */
export function parseSubscriptionForm(form: FormData | URLSearchParams, options: SubscriptionOptions): SubscriptionFormResult {
  const submitted = {
    products: values(form, 'products'),
    regions: values(form, 'regions'),
    kinds: values(form, 'kinds'),
    channels: values(form, 'channels'),
    cadence: typeof form.get('cadence') === 'string' ? String(form.get('cadence')) : '',
  };
  const errors: FieldErrors = {};
  const note = (issues: { path: PropertyKey[]; message: string }[], plugin: boolean) => {
    for (const issue of issues) {
      const field = SUBSCRIPTION_FIELDS.find((f) => f === issue.path[0]);
      if (!field || errors[field]) continue;
      errors[field] = plugin ? FALLBACK[field] : issue.message;
    }
  };
  const portal = formSchema(options).safeParse(submitted);
  if (!portal.success) {
    note(portal.error.issues, false);
    return { ok: false, errors, submitted };
  }
  const checked = subscriptionSchema.safeParse(portal.data);
  if (!checked.success) {
    note(checked.error.issues, true);
    if (Object.keys(errors).length === 0) errors.products = FALLBACK.products;
    return { ok: false, errors, submitted };
  }
  return { ok: true, subscription: checked.data };
}

/**
 * Maps a refusal from the plugin ("channels: the portal inbox cannot be turned off", "kinds must be
 * among: ...") to the field it names, so it shows where the rep can fix it.
 */
export function fieldOfPluginMessage(message: string): SubscriptionField | null {
  const m = /^\s*(?:The subscription[^:]*:\s*)?(products|regions|kinds|channels|cadence)\b/i.exec(message);
  return m ? (m[1]!.toLowerCase() as SubscriptionField) : null;
}

/** A one-line summary of a subscription, e.g. for the page intro. */
export function describeSubscription(sub: Subscription, options: SubscriptionOptions, kindLabels: Record<CollateralKind, string>): string {
  const names = (slugs: string[], all: Taxon[], everything: string) => (slugs.length === 0 ? everything : slugs.map((s) => all.find((t) => t.slug === s)?.name ?? s).join(', '));
  const kinds = sub.kinds.length === 0 ? 'every kind of material' : sub.kinds.map((k) => kindLabels[k]).join(', ');
  return `You hear about ${names(sub.products, options.products, 'every product')}; ${names(sub.regions, options.regions, 'every region')}; ${kinds}.`;
}
