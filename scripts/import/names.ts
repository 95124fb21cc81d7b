/**
 * File names as a library has them: with bidi overrides and zero-width characters (a name that reads
 * "report.pdf" but is "fdp.exe…"), version and copy marks, dates. Pure functions, unit-tested.
 */

/**
 * Characters a reader cannot see or that reorder what they see: C0/C1 controls, zero-width and
 * joiners, bidi embeddings/overrides/isolates, the BOM and interlinear annotation marks.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/gu;

export const hasHiddenCharacters = (s: string): boolean => new RegExp(HIDDEN.source, 'u').test(s);

/** The name with hidden characters removed and white space collapsed: safe to show as a title. */
export function cleanName(s: string): string {
  return s.normalize('NFC').replace(HIDDEN, '').replace(/\s+/g, ' ').trim();
}

/** The name with each hidden character written out (`\u202E`), for a report a person checks. */
export function visibleName(s: string): string {
  return s.replace(HIDDEN, (c) => `\\u${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
}

export function splitExtension(name: string): { base: string; ext: string } {
  const m = /^(.+?)(\.[A-Za-z0-9]{1,8})$/.exec(name);
  return m ? { base: m[1]!, ext: m[2]!.toLowerCase() } : { base: name, ext: '' };
}

const MONTHS = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';

/**
 * What makes two copies of one document look like different documents: versions (v3, v 2.1,
 * version 4, rev 2), stage words (final, FINAL FINAL, draft, latest, updated), copy marks ("(1)",
 * "- Copy", "Copy of"), and dates (2024-03-01, 20240301, 01.03.2024, 3/1/24, 2024-03, March 2024, 2024).
 * "New" and month names without a year stay: "What's new in May" is a title, not a mark.
 * Order matters: whole dates before their parts.
 */
const NOISE: RegExp[] = [
  /^\s*copy\s+of\s+/i,
  /\s*-\s*copy(\s*\(\d+\))?\s*$/i,
  /[([]\s*\d{1,3}\s*[)\]]/g,
  /\b(19|20)\d{2}[-_. ]?(0[1-9]|1[0-2])[-_. ]?(0[1-9]|[12]\d|3[01])\b/g,
  /\b(0?[1-9]|[12]\d|3[01])[-_./](0?[1-9]|1[0-2])[-_./]((19|20)?\d{2})\b/g,
  /\b(19|20)\d{2}[-_.](0?[1-9]|1[0-2])\b/g,
  new RegExp(`\\b(${MONTHS})\\.?[-_ ]*((19|20)?\\d{2})\\b`, 'gi'),
  /\b(19|20)\d{2}\b/g,
  /\b(v|ver|version|rev|revision)[-_ .]*\d+([._]\d+)*[a-z]?\b/gi,
  /\b(final|draft|latest|updated?|copy|clean|approved|wip)\b/gi,
];

const strip = (s: string) => NOISE.reduce((out, re) => out.replace(re, ' '), s);

/** The key a family of names shares: "Launch deck v3 FINAL (2).pptx" and "launch_deck_v1.pptx" → "launch deck". */
export function familyKeyOf(fileName: string): string {
  const { base } = splitExtension(cleanName(fileName));
  const folded = base.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[_]+/g, ' ');
  const words = strip(folded).match(/[\p{L}\p{N}]+/gu) ?? [];
  // A name that is only marks ("v2.pptx", "2024-01-05.pdf") is its own family.
  return words.length ? words.join(' ') : (folded.match(/[\p{L}\p{N}]+/gu) ?? []).join(' ');
}

/** A title from a file name: the family's words in the name's own case, marks and extension gone. */
export function titleOf(fileName: string, maxLength = 160): string {
  const { base } = splitExtension(cleanName(fileName));
  const spaced = base.replace(/_+/g, ' ');
  let title = strip(spaced).replace(/\s+/g, ' ').replace(/^[\s\-–—.,;:]+|[\s\-–—.,;:]+$/g, '').replace(/\s+([,;:])/g, '$1');
  if (!title) title = spaced.trim() || 'Untitled';
  return title.length > maxLength ? `${title.slice(0, maxLength - 1).trimEnd()}…` : title;
}

/** A version number written in the name (v3 → 3, "v2.1" → 2.1), to order files with the same date. */
export function versionNumberOf(fileName: string): number | null {
  const m = /\b(?:v|ver|version|rev|revision)[-_ .]*(\d+(?:[._]\d+)?)/i.exec(fileName);
  return m ? Number(m[1]!.replace('_', '.')) : null;
}

/** A URL slug from a title. */
export function slugOf(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80)
    .replace(/-$/, '');
  return slug || 'imported';
}
