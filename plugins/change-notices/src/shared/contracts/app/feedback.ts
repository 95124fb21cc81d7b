import { z } from 'zod';
import { personText } from '../text';
import { nullableInt, nullableText } from '../response';

/** Reps' suggested edits to collateral (`/api/feedbacks`): the form's rules and what the CMS answers. */

export const FEEDBACK_KINDS = ['correction', 'outdated', 'missing_info', 'new_request'] as const;
export const FEEDBACK_KIND_LABELS: Record<(typeof FEEDBACK_KINDS)[number], string> = {
  correction: 'Correction',
  outdated: 'Outdated',
  missing_info: 'Missing information',
  new_request: 'New material request',
};
export const URGENCY_LEVELS = ['low', 'normal', 'high'] as const;
export const FEEDBACK_STATES = ['new', 'triaged', 'accepted', 'declined', 'shipped'] as const;
export type FeedbackState = (typeof FEEDBACK_STATES)[number];

/** A rep's suggested edit, as the portal form and `POST /api/feedbacks` take it. */
export const feedbackInputSchema = z.strictObject({
  collateral: z.string({ error: 'collateral is required: which item is this about?' }).trim().min(1, { error: 'collateral is required: which item is this about?' }).max(64),
  kind: z.enum(FEEDBACK_KINDS, { error: 'kind: choose correction, outdated, missing info or new material request' }),
  // A rep's words are cleaned once here (NFC, no control characters, no lone surrogates) for every reader.
  passage: personText('passage', { max: 2000, tooLong: 'passage: quote at most 2000 characters' }).optional(),
  suggestion: personText('suggestion', {
    min: 10,
    max: 4000,
    required: 'suggestion is required: say what should change',
    tooShort: 'suggestion: say what should change in at least 10 characters',
    tooLong: 'suggestion: at most 4000 characters',
  }),
  customerContext: personText('customer context', { max: 2000, tooLong: 'customer context: at most 2000 characters' }).optional(),
  urgency: z.enum(URGENCY_LEVELS, { error: 'urgency: choose low, normal or high' }).default('normal'),
});
export type FeedbackInput = z.infer<typeof feedbackInputSchema>;

/** A suggestion as the rep's "My suggestions" list shows it. */
export const mySuggestionSchema = z.object({
  documentId: z.string(),
  kind: z.enum(FEEDBACK_KINDS),
  suggestion: z.string(),
  passage: nullableText,
  urgency: z.enum(URGENCY_LEVELS),
  state: z.enum(FEEDBACK_STATES),
  resolutionNote: nullableText,
  /** The item's version the rep was looking at. */
  collateralVersion: nullableInt,
  /** The version that shipped the fix, once marketing published it. */
  shippedInVersion: nullableInt,
  collateral: z
    .object({ documentId: z.string(), title: z.string(), slug: z.string() })
    .nullish()
    .transform((v) => v ?? null),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MySuggestion = z.infer<typeof mySuggestionSchema>;

/** GET /api/feedbacks/mine: the signed-in rep's suggestions, newest first. */
export const mySuggestionsResponseSchema = z.object({ data: z.array(mySuggestionSchema) });

/** POST /api/feedbacks, 201: the suggestion as filed. */
export const feedbackCreatedResponseSchema = z.object({
  data: z.object({ documentId: z.string(), state: z.enum(FEEDBACK_STATES), collateralVersion: nullableInt }),
});
