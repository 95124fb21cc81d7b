import { z } from 'zod';

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
  passage: z.string().trim().max(2000, { error: 'passage: quote at most 2000 characters' }).optional(),
  suggestion: z
    .string({ error: 'suggestion is required: say what should change' })
    .trim()
    .min(10, { error: 'suggestion: say what should change in at least 10 characters' })
    .max(4000, { error: 'suggestion: at most 4000 characters' }),
  customerContext: z.string().trim().max(2000, { error: 'customer context: at most 2000 characters' }).optional(),
  urgency: z.enum(URGENCY_LEVELS, { error: 'urgency: choose low, normal or high' }).default('normal'),
});
export type FeedbackInput = z.infer<typeof feedbackInputSchema>;

/** A suggestion as the rep's "My suggestions" list shows it. */
export interface MySuggestion {
  documentId: string;
  kind: (typeof FEEDBACK_KINDS)[number];
  suggestion: string;
  passage: string | null;
  urgency: (typeof URGENCY_LEVELS)[number];
  state: FeedbackState;
  resolutionNote: string | null;
  collateralVersion: number | null;
  shippedInVersion: number | null;
  collateral: { documentId: string; title: string; slug: string } | null;
  createdAt: string;
  updatedAt: string;
}
