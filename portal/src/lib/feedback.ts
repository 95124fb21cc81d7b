/**
 * A rep's suggested edits ("Suggest an edit" on a collateral page, "My suggestions"): the CMS calls
 * (`POST /api/feedbacks`, `GET /api/feedbacks/mine`) on the same transport as `cms.ts` (zod-checked,
 * {@link CmsError}), and the plain-English wording of the form's field errors.
 *
 * The rules are the CMS's own: the form is checked with the shared `feedbackInputSchema` from
 * `@candor/change-notices/contracts`, the very schema `POST /api/feedbacks` uses, so the portal can
 * never accept what the CMS refuses (or the other way round). Only the wording is the portal's.
 */
import { z } from 'astro/zod';
import {
  FEEDBACK_KIND_LABELS,
  FEEDBACK_KINDS,
  feedbackCreatedResponseSchema,
  mySuggestionsResponseSchema,
  URGENCY_LEVELS,
  type FeedbackInput,
  type FeedbackState,
  type MySuggestion,
} from '@candor/change-notices/contracts';
import type { CmsClient } from './cms';

export { FEEDBACK_KIND_LABELS, FEEDBACK_KINDS, URGENCY_LEVELS };
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];
export type Urgency = (typeof URGENCY_LEVELS)[number];

/** The form's fields, in the order the page shows them. `collateral` is a hidden field. */
export const FEEDBACK_FIELDS = ['kind', 'passage', 'suggestion', 'customerContext', 'urgency', 'collateral'] as const;
export type FeedbackField = (typeof FEEDBACK_FIELDS)[number];
export type FeedbackErrors = Partial<Record<FeedbackField, string>>;

/** Field labels, used by the form and its error summary. */
export const FEEDBACK_FIELD_LABELS: Record<FeedbackField, string> = {
  kind: 'What kind of change',
  passage: 'The passage it is about',
  suggestion: 'Your suggestion',
  customerContext: 'Customer context',
  urgency: 'How urgent',
  collateral: 'Item',
};

export const KIND_HINTS: Record<FeedbackKind, string> = {
  correction: 'Something in it is wrong.',
  outdated: 'It was right once, but not any more.',
  missing_info: 'Something reps need is not in it.',
  new_request: 'Material that should exist next to this one.',
};

export const URGENCY_LABELS: Record<Urgency, { label: string; hint: string }> = {
  low: { label: 'Low', hint: 'Whenever marketing gets to it.' },
  normal: { label: 'Normal', hint: 'Within the usual review cycle.' },
  high: { label: 'High', hint: 'A customer conversation depends on it.' },
};

/** How a suggestion's state reads to the rep who sent it. */
export const STATE_LABELS: Record<FeedbackState, { label: string; tone: 'info' | 'ok' | 'warn' | 'new'; meaning: string }> = {
  new: { label: 'New', tone: 'new', meaning: 'Marketing has not looked at it yet.' },
  triaged: { label: 'Triaged', tone: 'info', meaning: 'Marketing has looked at it and will decide what to do.' },
  accepted: { label: 'In progress', tone: 'info', meaning: 'Marketing agreed and is making the change.' },
  declined: { label: 'Declined', tone: 'warn', meaning: 'No change will be made.' },
  shipped: { label: 'Resolved', tone: 'ok', meaning: 'The fix is published.' },
};

/** What each field's messages say when the contract's own wording ("suggestion: ...") is not for people. */
const MESSAGES: Record<FeedbackField, { missing: string; short?: string; long: string; invalid?: string }> = {
  kind: { missing: 'Choose what kind of change this is.', long: 'Choose what kind of change this is.', invalid: 'Choose what kind of change this is.' },
  passage: { missing: '', long: 'Quote at most 2,000 characters of the passage.' },
  suggestion: { missing: 'Say what should change.', short: 'Say what should change in at least 10 characters.', long: 'Keep your suggestion to 4,000 characters or fewer.' },
  customerContext: { missing: '', long: 'Keep the customer context to 2,000 characters or fewer.' },
  urgency: { missing: 'Choose how urgent this is.', long: 'Choose how urgent this is.', invalid: 'Choose how urgent this is: low, normal or high.' },
  collateral: { missing: 'The page did not say which item this is about. Reload it and try again.', long: 'The page did not say which item this is about. Reload it and try again.' },
};

const isField = (value: unknown): value is FeedbackField => typeof value === 'string' && (FEEDBACK_FIELDS as readonly string[]).includes(value);

/** A zod issue, or an entry of Strapi's `error.details.errors`: where, what kind, and the wording. */
export interface IssueLike {
  path: readonly PropertyKey[];
  code?: string;
  message: string;
}

/**
 * One plain-English message per field, from zod issues or the CMS's per-field errors. The first
 * problem of a field wins; problems with no known field (a newer CMS rule) go to `suggestion`, the
 * field the rep can always change, with the CMS's words.
 */
export function feedbackErrors(issues: readonly IssueLike[]): FeedbackErrors {
  const errors: FeedbackErrors = {};
  for (const issue of issues) {
    const first = issue.path[0];
    if (issue.code === 'unrecognized_keys') continue;
    const field: FeedbackField = isField(first) ? first : 'suggestion';
    if (errors[field]) continue;
    // A field this portal does not know: the CMS's whole message, which names it.
    errors[field] = isField(first) ? messageFor(field, issue) : sentence(issue.message);
  }
  return errors;
}

function messageFor(field: FeedbackField, issue: IssueLike): string {
  const m = MESSAGES[field];
  switch (issue.code) {
    case 'invalid_type':
      // Form fields are text: a wrong type means the field was left out.
      return m.missing || m.long;
    case 'too_small':
      return m.short ?? m.missing ?? m.long;
    case 'too_big':
      return m.long;
    case 'invalid_value':
      return m.invalid ?? m.long;
    default:
      // The CMS's errors carry no zod code: its message, without the "field: " prefix.
      return readable(issue.message);
  }
}

/** "suggestion: say what should change" → "Say what should change." */
export function readable(message: string): string {
  return sentence(message.replace(/^[a-zA-Z ]+?(?: is required)?:\s*/, '').trim() || message);
}

function sentence(message: string): string {
  const text = message.trim();
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** What the rep typed, to put back into the form after a refusal (text only, length-capped). */
export type FeedbackValues = Record<Exclude<FeedbackField, 'collateral'>, string>;

export function submittedValues(form: FormData | null): FeedbackValues {
  const get = (name: string, max: number) => {
    const value = form?.get(name);
    return typeof value === 'string' ? value.slice(0, max) : '';
  };
  return {
    kind: get('kind', 40),
    passage: get('passage', 2500),
    suggestion: get('suggestion', 4500),
    customerContext: get('customerContext', 2500),
    urgency: get('urgency', 20) || 'normal',
  };
}

// ---------------------------------------------------------------------------------------------------
// CMS calls.

// Answers are checked with the shared contracts, the schemas the CMS's feedback controller shapes them with.
export type Suggestion = MySuggestion;

const strapiValidationSchema = z.object({
  error: z.object({
    message: z.string().optional(),
    details: z
      .object({ errors: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional() })
      .partial()
      .optional(),
  }),
});

export type SubmitResult = { ok: true; documentId: string; collateralVersion: number | null } | { ok: false; errors: FeedbackErrors };

/**
 * Files a suggestion as the signed-in rep. Strapi sets the submitter from the JWT; the portal sends
 * only the rep's fields. A 400 comes back as per-field errors (nothing was saved: the CMS writes the
 * suggestion and the owner's email in one transaction).
 * @throws CmsError for every other failure (`unauthorized`, `unreachable`, ...).
 */
export async function submitFeedback(client: CmsClient, jwt: string, input: FeedbackInput): Promise<SubmitResult> {
  const { send, failure, parse } = client.transport;
  const path = '/api/feedbacks';
  // Empty optional fields are left out rather than saved as "".
  const data = {
    collateral: input.collateral,
    kind: input.kind,
    suggestion: input.suggestion,
    urgency: input.urgency,
    ...(input.passage ? { passage: input.passage } : {}),
    ...(input.customerContext ? { customerContext: input.customerContext } : {}),
  };
  const res = await send(path, { jwt, method: 'POST', json: { data } });
  if (res.status === 201 || res.status === 200) {
    const created = parse(feedbackCreatedResponseSchema, res, path).data;
    return { ok: true, documentId: created.documentId, collateralVersion: created.collateralVersion };
  }
  if (res.status === 400) {
    const body = strapiValidationSchema.safeParse(res.body);
    const details = body.success ? (body.data.error.details?.errors ?? []) : [];
    if (details.length > 0) return { ok: false, errors: feedbackErrors(details) };
    const message = body.success ? body.data.error.message : undefined;
    return { ok: false, errors: { suggestion: message ? readable(message) : 'The suggestion was not accepted. Check it and try again.' } };
  }
  throw failure(res, path);
}

/** The rep's suggestions, newest first, with what became of them. */
export async function listMySuggestions(client: CmsClient, jwt: string): Promise<Suggestion[]> {
  const { send, failure, parse } = client.transport;
  const path = '/api/feedbacks/mine';
  const res = await send(path, { jwt });
  if (res.status !== 200) throw failure(res, path);
  return parse(mySuggestionsResponseSchema, res, path).data;
}

/** The kind's label ("Missing information"). */
export const kindLabel = (kind: FeedbackKind): string => FEEDBACK_KIND_LABELS[kind];
