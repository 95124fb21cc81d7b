import { z } from 'zod';
import { personText } from './text';

/** The standing flag every collateral and claim carries. Never named `status` (reserved by Strapi). */
export const STANDINGS = ['confirmed', 'scaled_back', 'retracted'] as const;
export type Standing = (typeof STANDINGS)[number];

export const STANDING_LABELS: Record<Standing, string> = {
  confirmed: 'Confirmed',
  scaled_back: 'Scaled back',
  retracted: 'Retracted',
};

/** Content types whose publishes are versioned and whose standing can change. */
export const SUBJECT_KINDS = {
  collateral: 'api::collateral.collateral',
  claim: 'api::claim.claim',
} as const;
export type SubjectKind = keyof typeof SUBJECT_KINDS;
export type SubjectUid = (typeof SUBJECT_KINDS)[SubjectKind];
export const subjectKindSchema = z.enum(['collateral', 'claim'] as const satisfies readonly SubjectKind[]);

const reason = personText('reason', {
  min: 5,
  max: 2000,
  required: 'reason is required: say why the standing changes',
  tooShort: 'reason must be at least 5 characters: say why the standing changes',
  tooLong: 'reason must be at most 2000 characters',
});
const note = personText('note', { max: 2000, tooLong: 'note must be at most 2000 characters' }).optional();
/** What buyers holding a share link read instead of the item (scaled back or retracted collateral). */
const publicNote = personText('publicNote', { max: 2000, tooLong: 'publicNote must be at most 2000 characters' }).optional();

/**
 * A standing change as the REST API and the admin dialog send it. Scaling back needs what is true
 * now; retracting may name the collateral that replaces it (its documentId).
 */
export const standingChangeSchema = z.discriminatedUnion(
  'standing',
  [
    z.strictObject({ standing: z.literal('confirmed'), reason, note }),
    z.strictObject({
      standing: z.literal('scaled_back'),
      reason,
      nowTrue: personText('nowTrue', {
        min: 5,
        max: 2000,
        required: 'nowTrue is required when scaling back: say what is true now',
        tooShort: 'nowTrue must be at least 5 characters: say what is true now',
        tooLong: 'nowTrue must be at most 2000 characters',
      }),
      note,
      publicNote,
    }),
    z.strictObject({
      standing: z.literal('retracted'),
      reason,
      replacement: z.string().trim().min(1).max(64).optional(),
      note,
      publicNote,
    }),
  ],
  { error: `standing must be one of: ${STANDINGS.join(', ')}` }
);
export type StandingChange = z.infer<typeof standingChangeSchema>;

/** What a standing change did. */
export const standingResultSchema = z.object({
  documentId: z.string(),
  standing: z.enum(STANDINGS),
  /** The version that records the standing (the existing one when nothing changed). */
  version: z.number().int(),
  /** False when the same change had already been recorded: nothing new happened. */
  changed: z.boolean(),
  /** Claims only: how many published collateral items now need review. */
  flaggedCollateral: z.number().int(),
});
export type StandingResult = z.infer<typeof standingResultSchema>;

/** POST …/standing/:kind/:documentId */
export const standingChangeResponseSchema = z.object({ data: standingResultSchema });
