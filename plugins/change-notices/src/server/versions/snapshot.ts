import { diffWords } from 'diff';
import type { FieldChange, SubjectUid, WordChange } from '../../shared/contracts';
import { STANDING_LABELS, type Standing } from '../../shared/contracts';

/** How one field of a subject is captured in a version snapshot and compared. */
export interface TrackedField {
  field: string;
  label: string;
  type: FieldChange['type'];
  /** Relation or media: which attribute names each related item in the snapshot. */
  labelBy?: string;
  /** A single relation or media field (snapshot holds one item or null). */
  single?: boolean;
  /** Media (upload files) are referenced by numeric id, relations by documentId. */
  media?: boolean;
}

/** An item of a relation or media field as kept in a snapshot. */
export interface SnapshotRef {
  ref: string;
  label: string;
}

export type Snapshot = Record<string, unknown>;

const standing: TrackedField[] = [
  { field: 'standing', label: 'Standing', type: 'value' },
  { field: 'standingReason', label: 'Reason', type: 'text' },
  { field: 'nowTrue', label: 'What is true now', type: 'text' },
];

/** The fields each versioned content type snapshots, in display order. */
export const TRACKED_FIELDS: Record<SubjectUid, TrackedField[]> = {
  'api::collateral.collateral': [
    { field: 'title', label: 'Title', type: 'text' },
    { field: 'slug', label: 'URL slug', type: 'value' },
    { field: 'kind', label: 'Kind', type: 'value' },
    { field: 'summary', label: 'Summary', type: 'longtext' },
    { field: 'body', label: 'Body', type: 'longtext' },
    ...standing,
    { field: 'replacedBy', label: 'Replaced by', type: 'list', labelBy: 'title', single: true },
    { field: 'claims', label: 'Claims', type: 'list', labelBy: 'statement' },
    { field: 'products', label: 'Products', type: 'list', labelBy: 'name' },
    { field: 'regions', label: 'Regions', type: 'list', labelBy: 'name' },
    { field: 'personas', label: 'Personas', type: 'list', labelBy: 'name' },
    { field: 'funnelStage', label: 'Funnel stage', type: 'value' },
    { field: 'files', label: 'Files', type: 'list', labelBy: 'name', media: true },
    { field: 'cover', label: 'Cover image', type: 'list', labelBy: 'name', single: true, media: true },
    { field: 'reviewBy', label: 'Review by', type: 'value' },
  ],
  'api::claim.claim': [
    { field: 'statement', label: 'Statement', type: 'text' },
    { field: 'details', label: 'Details', type: 'longtext' },
    ...standing,
    { field: 'effectiveDate', label: 'Effective date', type: 'value' },
    { field: 'products', label: 'Products', type: 'list', labelBy: 'name' },
  ],
};

/** The populate clause that loads every tracked relation with just its label. */
export function populateFor(uid: SubjectUid): Record<string, { fields: string[] }> {
  return Object.fromEntries(
    TRACKED_FIELDS[uid].filter((f) => f.type === 'list').map((f) => [f.field, { fields: f.media ? [f.labelBy!] : [f.labelBy!, 'documentId'] }])
  );
}

type Related = Record<string, unknown>;
const refOf = (item: Related, f: TrackedField): SnapshotRef => ({
  ref: String(f.media ? item.id : item.documentId),
  label: String(item[f.labelBy!] ?? ''),
});

/** Captures the tracked fields of a loaded document as plain, comparable JSON. */
export function takeSnapshot(uid: SubjectUid, doc: Record<string, unknown>): Snapshot {
  const snap: Snapshot = {};
  for (const f of TRACKED_FIELDS[uid]) {
    const value = doc[f.field];
    if (f.type === 'list') {
      if (f.single) snap[f.field] = value ? refOf(value as Related, f) : null;
      else snap[f.field] = ((value as Related[] | null) ?? []).map((v) => refOf(v, f)).sort((a, b) => a.label.localeCompare(b.label));
    } else {
      snap[f.field] = value ?? null;
    }
  }
  return snap;
}

const asList = (v: unknown): SnapshotRef[] => (v == null ? [] : Array.isArray(v) ? (v as SnapshotRef[]) : [v as SnapshotRef]);

function wordDiff(before: string, after: string): WordChange[] {
  return diffWords(before, after).map((part) => ({
    op: part.added ? 'added' : part.removed ? 'removed' : 'same',
    text: part.value,
  }));
}

/** Field-level changes from `prev` to `next` (word-level for long text, added/removed for lists). */
export function diffSnapshots(uid: SubjectUid, prev: Snapshot | null, next: Snapshot): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const f of TRACKED_FIELDS[uid]) {
    const before = prev ? (prev[f.field] ?? null) : null;
    const after = next[f.field] ?? null;
    if (f.type === 'list') {
      const b = asList(before);
      const a = asList(after);
      const added = a.filter((x) => !b.some((y) => y.ref === x.ref)).map((x) => x.label);
      const removed = b.filter((x) => !a.some((y) => y.ref === x.ref)).map((x) => x.label);
      if (added.length || removed.length) changes.push({ field: f.field, label: f.label, type: 'list', before, after, added, removed });
      continue;
    }
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    const change: FieldChange = { field: f.field, label: f.label, type: f.type, before, after };
    if (f.type === 'longtext' && prev) change.words = wordDiff(String(before ?? ''), String(after ?? ''));
    changes.push(change);
  }
  return changes;
}

const quote = (v: unknown, max = 60) => {
  const s = String(v ?? '').replace(/\s+/g, ' ').trim();
  return `“${s.length > max ? `${s.slice(0, max - 1)}…` : s}”`;
};
const countWords = (words: WordChange[], op: WordChange['op']) =>
  words.filter((w) => w.op === op).reduce((n, w) => n + (w.text.match(/\S+/g)?.length ?? 0), 0);

/** A short, readable "what changed" line built from the field changes. */
export function summarizeChanges(changes: FieldChange[], opts: { first: boolean }): string {
  if (opts.first) return 'First published version.';
  if (!changes.length) return 'Republished without content changes.';
  const parts = changes.map((c) => {
    if (c.field === 'standing') {
      return `Standing: ${STANDING_LABELS[c.before as Standing] ?? c.before} → ${STANDING_LABELS[c.after as Standing] ?? c.after}`;
    }
    if (c.type === 'list') {
      const bits = [...(c.added ?? []).map((l) => `+${quote(l, 40)}`), ...(c.removed ?? []).map((l) => `−${quote(l, 40)}`)];
      return `${c.label}: ${bits.join(', ')}`;
    }
    if (c.type === 'longtext' && c.words) {
      if (c.before == null || c.before === '') return `${c.label} added`;
      if (c.after == null || c.after === '') return `${c.label} removed`;
      return `${c.label} edited (+${countWords(c.words, 'added')} −${countWords(c.words, 'removed')} words)`;
    }
    if (c.before == null || c.before === '') return `${c.label} set to ${quote(c.after)}`;
    if (c.after == null || c.after === '') return `${c.label} cleared`;
    return `${c.label}: ${quote(c.before)} → ${quote(c.after)}`;
  });
  return parts.join('; ') + '.';
}

/** Document data that puts a snapshot's content back into a draft. Standing is not content: it only
 * changes through the standing actions, so a restore never un-retracts anything. */
export function snapshotToDraftData(uid: SubjectUid, snap: Snapshot): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const f of TRACKED_FIELDS[uid]) {
    if (['standing', 'standingReason', 'nowTrue'].includes(f.field) || !(f.field in snap)) continue;
    const value = snap[f.field];
    if (f.type !== 'list') data[f.field] = value;
    else if (f.single) data[f.field] = value ? toRef((value as SnapshotRef).ref, f) : null;
    else data[f.field] = asList(value).map((r) => toRef(r.ref, f));
  }
  return data;
}

const toRef = (ref: string, f: TrackedField) => (f.media ? Number(ref) : ref);
