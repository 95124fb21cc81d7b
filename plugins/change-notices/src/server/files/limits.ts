import { z } from 'zod';

const MB = 1024 * 1024;

/**
 * How much work one file may cost. Every limit is a positive integer; a partial object given to
 * `extractText` is merged over `DEFAULT_EXTRACT_LIMITS` and validated with `extractLimitsSchema`.
 */
export const extractLimitsSchema = z.object({
  /** Larger files are refused as `too_large` before any parsing. */
  maxFileBytes: z.number().int().positive(),
  /** Sum of the uncompressed sizes a zip (PPTX, DOCX, XLSX) declares; more is a `zip_bomb`. */
  maxDecompressedBytes: z.number().int().positive(),
  /** Entries in a zip's directory; more is a `zip_bomb` (a directory of millions of empty files). */
  maxZipEntries: z.number().int().positive(),
  /** Pages, slides or sheets read; the rest are left out and the result is `truncated`. */
  maxParts: z.number().int().positive(),
  /** Characters kept per page, slide or sheet. */
  maxPartChars: z.number().int().positive(),
  /** Characters kept for the whole file. */
  maxTotalChars: z.number().int().positive(),
  /** Wall-clock budget for one file; checked between pages and parts (see extract.ts). */
  timeoutMs: z.number().int().positive(),
});

export type ExtractLimits = z.infer<typeof extractLimitsSchema>;

export const DEFAULT_EXTRACT_LIMITS: Readonly<ExtractLimits> = Object.freeze({
  maxFileBytes: 200 * MB,
  maxDecompressedBytes: 200 * MB,
  maxZipEntries: 10_000,
  maxParts: 2_000,
  maxPartChars: 200_000,
  maxTotalChars: 5_000_000,
  timeoutMs: 60_000,
});

/** Defaults with the given overrides; throws a ZodError on a bad override (a config mistake, not a bad file). */
export function resolveLimits(overrides: Partial<ExtractLimits> = {}): ExtractLimits {
  return extractLimitsSchema.parse({ ...DEFAULT_EXTRACT_LIMITS, ...overrides });
}
