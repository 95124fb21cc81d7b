import type { Standing } from './standing';

/** A word-level edit in a long text field: kept, added or removed words. */
export interface WordChange {
  op: 'same' | 'added' | 'removed';
  text: string;
}

/** One field's change between two published versions. */
export interface FieldChange {
  field: string;
  label: string;
  type: 'text' | 'longtext' | 'list' | 'value';
  before: unknown;
  after: unknown;
  /** longtext: the word-level diff. */
  words?: WordChange[];
  /** list (relations, files): what was added and removed, by label. */
  added?: string[];
  removed?: string[];
}

export type VersionCause = 'publish' | 'standing' | 'restore';

/** A version as the REST API returns it. */
export interface VersionView {
  number: number;
  cause: VersionCause;
  title: string;
  summary: string;
  note: string | null;
  standing: Standing;
  standingReason: string | null;
  nowTrue: string | null;
  changes: FieldChange[];
  author: { name: string; kind: 'admin' | 'user' | 'system' };
  createdAt: string;
  snapshot?: Record<string, unknown>;
}
