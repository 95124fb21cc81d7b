import { SUBJECT_KINDS, STANDINGS, type Standing, type SubjectKind } from '../../src/shared/contracts';

/** The edit-view document as the content manager hands it to panels and actions. */
export type EditViewDocument = Record<string, unknown> & { documentId?: string; status?: string; publishedAt?: string | null };

/** The content manager's document metadata: the other status (draft or published) of the same document. */
export interface EditViewMeta {
  availableStatus?: Array<{ publishedAt?: string | null; updatedAt?: string | null }>;
}

const KIND_BY_MODEL = new Map<string, SubjectKind>(
  (Object.entries(SUBJECT_KINDS) as [SubjectKind, string][]).map(([kind, uid]) => [uid, kind])
);

/** `collateral` or `claim` for the content types that carry versions and a standing, else null. */
export function kindOfModel(model: string): SubjectKind | null {
  return KIND_BY_MODEL.get(model) ?? null;
}

/** How the UI names one item of a kind in running text. */
export const SUBJECT_NOUNS: Record<SubjectKind, string> = { collateral: 'collateral', claim: 'claim' };

/** The field a kind is known by: a collateral's title, a claim's statement. */
export function titleOf(kind: SubjectKind, document: EditViewDocument | undefined): string {
  const value = document?.[kind === 'claim' ? 'statement' : 'title'];
  return typeof value === 'string' && value.trim() ? value.trim() : `this ${SUBJECT_NOUNS[kind]}`;
}

export function standingOf(document: EditViewDocument | undefined): Standing {
  const value = document?.standing;
  return STANDINGS.includes(value as Standing) ? (value as Standing) : 'confirmed';
}

/** The collateral review flag a claim's standing change sets, with the claim's new truth. */
export function reviewOf(kind: SubjectKind, document: EditViewDocument | undefined): { needsReview: boolean; note: string | null } {
  if (kind !== 'collateral' || document?.needsReview !== true) return { needsReview: false, note: null };
  const note = document.reviewNote;
  return { needsReview: true, note: typeof note === 'string' && note.trim() ? note.trim() : null };
}

/**
 * Standing changes and history only exist once a document has been published. The draft tab's
 * document says so through its status ('modified' or 'published') or the metadata of its published
 * counterpart; the published tab's document has a publishedAt of its own.
 */
export function hasPublishedVersion(document: EditViewDocument | undefined, meta: EditViewMeta | undefined): boolean {
  if (!document?.documentId) return false;
  if (document.publishedAt) return true;
  if (document.status === 'published' || document.status === 'modified') return true;
  return (meta?.availableStatus ?? []).some((other) => Boolean(other.publishedAt));
}
