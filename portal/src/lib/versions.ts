/**
 * An item's version history from the change-notices plugin (`GET /api/change-notices/versions/
 * collateral/:documentId`), zod-checked like `cms.ts`, and the pure helpers that turn its field
 * changes into something a rep reads: labelled values, added/removed lists and word-level diffs.
 *
 * Everything here is plain text. The page renders it with Astro expressions (escaped), wrapping
 * added and removed words in <ins>/<del>: nothing from a version is ever injected as HTML.
 */
import { STANDING_LABELS, versionListResponseSchema, type FieldChange, type VersionView } from '@candor/change-notices/contracts';
import type { CmsClient } from './cms';
import { KIND_LABELS } from './present';

// Checked with the plugin's own contract, the schema its controller shapes the history with.
export type Version = VersionView;
export type VersionChange = FieldChange;

/**
 * The item's published versions, newest first. An item with no recorded history (published before
 * versions were kept) has none: the plugin answers 404, which is an empty list here.
 */
export async function listVersions(client: CmsClient, jwt: string, documentId: string): Promise<Version[]> {
  const { send, failure, parse } = client.transport;
  const path = `/api/change-notices/versions/collateral/${encodeURIComponent(documentId)}`;
  const res = await send(path, { jwt });
  if (res.status === 404) return [];
  if (res.status !== 200) throw failure(res, path);
  return parse(versionListResponseSchema, res, path).data;
}

// ---------------------------------------------------------------------------------------------------
// Presenting changes.

export const CAUSE_LABELS: Record<Version['cause'], string> = {
  publish: 'Published',
  standing: 'Standing changed',
  restore: 'Restored from an earlier version',
  link: 'Linked to a claim it mentions',
  merge: 'Copies of it merged in',
  import: 'Imported from the old library',
};

/** Fields whose before/after are not worth showing word by word to a rep (ids, slugs). */
const HIDDEN_FIELDS = new Set(['slug']);

/** A part of a diff: kept, added or removed text. */
export interface DiffPart {
  op: 'same' | 'added' | 'removed';
  text: string;
}

/** One changed field, ready to render. */
export type ChangeView =
  | { field: string; label: string; shape: 'words'; parts: DiffPart[] }
  | { field: string; label: string; shape: 'value'; before: string | null; after: string | null }
  | { field: string; label: string; shape: 'list'; added: string[]; removed: string[] };

/** Standings, kinds and similar values in the words the rest of the portal uses. */
export function valueText(field: string, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string') {
    if (field === 'standing' && value in STANDING_LABELS) return STANDING_LABELS[value as keyof typeof STANDING_LABELS];
    if (field === 'kind' && value in KIND_LABELS) return KIND_LABELS[value as keyof typeof KIND_LABELS];
    return value;
  }
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    const labels = value.map((v) => (v && typeof v === 'object' && 'label' in v ? String((v as { label: unknown }).label) : valueText(field, v))).filter((v): v is string => Boolean(v));
    return labels.length > 0 ? labels.join(', ') : null;
  }
  if (typeof value === 'object' && value && 'label' in value) return String((value as { label: unknown }).label);
  return JSON.stringify(value);
}

/**
 * Adjacent parts with the same operation merged, so a diff renders as few <ins>/<del> elements as
 * possible (and a screen reader announces "inserted" once per run of words, not per word).
 */
export function mergeParts(parts: readonly DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  for (const p of parts) {
    if (p.text === '') continue;
    const last = out[out.length - 1];
    if (last && last.op === p.op) last.text += p.text;
    else out.push({ op: p.op, text: p.text });
  }
  return out;
}

/**
 * Shortens long unchanged runs to their edges ("… last few words"), so a one-word fix in a long body
 * shows where it is without repeating the whole text. Changed text is never shortened.
 */
export function trimContext(parts: readonly DiffPart[], keepWords = 12): DiffPart[] {
  return parts.map((p, i) => {
    if (p.op !== 'same') return p;
    const words = p.text.split(/(\s+)/);
    const count = words.filter((w) => w.trim() !== '').length;
    if (count <= keepWords * 2) return p;
    const isFirst = i === 0;
    const isLast = i === parts.length - 1;
    const take = (from: 'start' | 'end', n: number) => {
      const out: string[] = [];
      let seen = 0;
      const list = from === 'start' ? words : [...words].reverse();
      for (const w of list) {
        if (w.trim() !== '') seen++;
        if (seen > n) break;
        out.push(w);
      }
      return (from === 'start' ? out : out.reverse()).join('');
    };
    if (isFirst && !isLast) return { op: 'same', text: `… ${take('end', keepWords).trimStart()}` };
    if (isLast && !isFirst) return { op: 'same', text: `${take('start', keepWords).trimEnd()} …` };
    if (isFirst && isLast) return p;
    return { op: 'same', text: `${take('start', keepWords).trimEnd()} … ${take('end', keepWords).trimStart()}` };
  });
}

/** The changes of one version, ready to render; hidden fields left out. */
export function changeViews(changes: readonly VersionChange[]): ChangeView[] {
  const views: ChangeView[] = [];
  for (const c of changes) {
    if (HIDDEN_FIELDS.has(c.field)) continue;
    if (c.type === 'list') {
      views.push({ field: c.field, label: c.label, shape: 'list', added: c.added ?? [], removed: c.removed ?? [] });
    } else if (c.type === 'longtext' && c.words && c.words.length > 0) {
      views.push({ field: c.field, label: c.label, shape: 'words', parts: trimContext(mergeParts(c.words)) });
    } else if (c.type === 'longtext' || c.type === 'text') {
      // No word diff (a first version, or the plugin sent none): the whole before and after.
      const before = valueText(c.field, c.before);
      const after = valueText(c.field, c.after);
      const parts: DiffPart[] = [];
      if (before) parts.push({ op: 'removed', text: before });
      if (before && after) parts.push({ op: 'same', text: ' ' });
      if (after) parts.push({ op: 'added', text: after });
      views.push({ field: c.field, label: c.label, shape: 'words', parts });
    } else {
      views.push({ field: c.field, label: c.label, shape: 'value', before: valueText(c.field, c.before), after: valueText(c.field, c.after) });
    }
  }
  return views;
}

/** Who made a version, as a rep reads it. */
export function authorText(author: Version['author']): string {
  if (author.kind === 'system') return 'Candor (automatic)';
  return author.name || 'Marketing';
}
