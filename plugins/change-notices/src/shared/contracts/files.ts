import { z } from 'zod';

/**
 * What the admin shows for each file of an item: its text was read (pages, slides or sheets), could
 * not be read (and why, in a sentence), is waiting for the worker, or is a picture, film or sound.
 */
export const fileTextStatusSchema = z.object({
  fileId: z.number().int(),
  name: z.string(),
  state: z.enum(['read', 'unreadable', 'pending', 'not_text']),
  /** What was read: pdf, pptx, docx, xlsx, text, markdown or csv (null until read, or unreadable). */
  kind: z.string().nullable(),
  /** Pages, slides or sheets with text. */
  parts: z.number().int(),
  chars: z.number().int(),
  /** "text could not be read: encrypted PDF" for an unreadable file. */
  message: z.string().nullable(),
  /** A limit left some pages or characters out. */
  truncated: z.boolean(),
  /** Other uploads with the very same bytes, and the collateral that uses each. */
  copies: z.array(z.object({ fileId: z.number().int(), name: z.string(), usedBy: z.array(z.string()) })),
  /** Other uploads whose text is almost the same (estimated share of shared 5-word runs, 0 to 1). */
  similar: z.array(z.object({ fileId: z.number().int(), name: z.string(), similarity: z.number(), usedBy: z.array(z.string()) })),
});
export type FileTextStatus = z.infer<typeof fileTextStatusSchema>;

export const fileTextStatusResponseSchema = z.object({ data: z.array(fileTextStatusSchema) });
export type FileTextStatusResponse = z.infer<typeof fileTextStatusResponseSchema>;

/** One page, slide or sheet of a file in a collateral's search document. */
export const searchPassageSchema = z.object({
  /** The upload's stored name (`<hash><ext>`): the portal links `/media/<file>`. */
  file: z.string(),
  /** The upload's own name, as marketing called it. */
  fileName: z.string(),
  /** "Page 7", "Slide 7", "Sheet Prices", "Document". */
  label: z.string(),
  /** 1-based page or slide number (PDF links open `#page=<index>`). */
  index: z.number().int(),
  kind: z.string(),
  text: z.string(),
});
export type SearchPassage = z.infer<typeof searchPassageSchema>;

/**
 * Files across the library that are copies of each other or say almost the same thing (the admin's
 * "these 5 files say almost the same thing"), newest upload first, with the collateral using each.
 */
export const duplicateGroupSchema = z.object({
  files: z.array(
    z.object({
      fileId: z.number().int(),
      name: z.string(),
      uploadedAt: z.string().nullable(),
      /** Byte-for-byte the newest file of the group. */
      sameBytes: z.boolean(),
      /** Estimated share of shared 5-word runs with the newest file, 0 to 1 (1 for the same bytes). */
      similarity: z.number(),
      /** A file listed before it in the group with the very same bytes (not the newest's). */
      copyOf: z.number().int().nullable(),
      usedBy: z.array(z.object({ documentId: z.string(), title: z.string(), standing: z.string(), published: z.boolean() })),
    })
  ),
  /** How many distinct collateral items use the group's files. */
  items: z.number().int(),
});
export type DuplicateGroup = z.infer<typeof duplicateGroupSchema>;
export const duplicateGroupsResponseSchema = z.object({ data: z.array(duplicateGroupSchema) });
export type DuplicateGroupsResponse = z.infer<typeof duplicateGroupsResponseSchema>;

const documentId = z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be a documentId (letters, digits, - and _, at most 64)' });

/** Merge copies into one item: `merge` are retracted with `keep` as their replacement. */
export const mergeRequestSchema = z.strictObject({
  keep: documentId,
  merge: z.array(documentId).min(1, { error: 'merge: name at least one item to merge' }).max(50, { error: 'merge: at most 50 items at once' }),
});
export type MergeRequest = z.infer<typeof mergeRequestSchema>;
export const mergeResponseSchema = z.object({
  data: z.object({
    kept: z.string(),
    /** The items retracted into `kept` now (already merged ones are left as they are). */
    merged: z.array(z.string()),
    /** The kept item's version that records the merge (null when nothing was merged). */
    version: z.number().int().nullable(),
  }),
});
export type MergeResponse = z.infer<typeof mergeResponseSchema>;
