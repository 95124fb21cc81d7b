import { z } from 'zod';

/** A UTF-16 half without its other half: not a character, and many systems choke on it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Control characters but newline and tab, and bidi overrides that can make text read backwards. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** The one cleaning every stored text gets: NFC, CRLF → LF, no control characters, trimmed. */
export function cleanString(s: string): string {
  return s.normalize('NFC').replace(/\r\n?/g, '\n').replace(INVISIBLE, '').trim();
}

/**
 * Text from a person (a rep's suggestion, a search, a marketer's reason): refused when it holds a
 * lone surrogate, otherwise cleaned (`cleanString`), then its length checked as a person counts it.
 */
export function personText(what: string, opts: { max: number; min?: number; required?: string; tooShort?: string; tooLong?: string }) {
  const base = z.string({ error: opts.required ?? `${what} must be text` }).refine((s) => !LONE_SURROGATE.test(s), { error: `${what} contains a broken character (a lone surrogate); retype it` });
  return base.transform(cleanString).pipe(
    z
      .string()
      .min(opts.min ?? 0, { error: opts.tooShort ?? `${what} must be at least ${opts.min} characters` })
      .max(opts.max, { error: opts.tooLong ?? `${what}: at most ${opts.max} characters` })
  );
}
