import { z } from 'zod';

/**
 * Collateral whose fields or files mention a claim it is not linked to, found by search (typo-tolerant,
 * every word of a phrase): "mentions the claim but is not linked".
 */
export const claimMentionSchema = z.object({
  documentId: z.string(),
  title: z.string(),
  slug: z.string(),
  /** The phrase that found it: the statement or one of the claim's key phrases. */
  phrase: z.string(),
  /** Where it matched: "Title", "Summary", "Body" or "Slide 7 of Launch deck.pptx". */
  where: z.string(),
  /** The matching passage, with the matched words between `<mark>` and `</mark>` (text only, no other HTML). */
  passage: z.string(),
});
export type ClaimMention = z.infer<typeof claimMentionSchema>;

export const claimMentionsResponseSchema = z.object({
  data: z.array(claimMentionSchema),
  meta: z.object({ claim: z.string(), phrases: z.array(z.string()), linked: z.number().int() }),
});
export type ClaimMentionsResponse = z.infer<typeof claimMentionsResponseSchema>;

export const claimLinkResponseSchema = z.object({
  data: z.object({ claim: z.string(), collateral: z.string(), version: z.number().int().nullable(), flagged: z.boolean() }),
});
export type ClaimLinkResponse = z.infer<typeof claimLinkResponseSchema>;

/** The phrases a claim is looked for by: its statement and its key phrases (one per line), deduplicated. */
export function claimPhrases(claim: { statement: string; keyPhrases?: string | null }): string[] {
  const all = [claim.statement, ...(claim.keyPhrases ?? '').split(/\r?\n/)].map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p.length >= 3);
  const seen = new Set<string>();
  return all.filter((p) => !seen.has(p.toLowerCase()) && seen.add(p.toLowerCase())).slice(0, 10).map((p) => p.slice(0, 200));
}
