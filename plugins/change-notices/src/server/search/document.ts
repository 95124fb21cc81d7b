import crypto from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { COLLATERAL_KIND_LABELS, SUBJECT_KINDS, type SearchClaim, type SearchDocument, type SearchPassage, type Standing } from '../../shared/contracts';
import { pluginConfig } from '../config';
import { TABLES, parseJson, tableIn } from '../database/tables';
import type { ExtractedPart } from '../files/extract';

const COLLATERAL = SUBJECT_KINDS.collateral;

/** A published collateral row as the index needs it; text fields only when asked for. */
export interface CollateralRow {
  id: number;
  documentId: string;
  slug: string;
  title: string;
  kind: string;
  funnelStage: string | null;
  standing: Standing;
  standingReason: string | null;
  nowTrue: string | null;
  standingChangedAt: unknown;
  needsReview: boolean | null;
  reviewNote: string | null;
  stale: boolean | null;
  publishedAt: unknown;
  updatedAt: unknown;
  products: { name: string }[];
  regions: { name: string }[];
  personas: { name: string }[];
  claims: { documentId: string; statement: string; standing: Standing; nowTrue: string | null }[];
  summary?: string | null;
  body?: string | null;
  cover?: { url: string; formats: Record<string, { url?: string }> | string | null } | null;
  files?: { id: number; name: string; hash: string; ext: string | null; mime: string | null }[];
  /** What was read from the files (loadPublished): a hash of it for the revision, the passages with text. */
  fileText?: { rev: string; passages: SearchPassage[] };
}

const TRUTH_FIELDS = [
  'id', 'documentId', 'slug', 'title', 'kind', 'funnelStage', 'standing', 'standingReason', 'nowTrue', 'standingChangedAt',
  'needsReview', 'reviewNote', 'stale', 'publishedAt', 'updatedAt',
];

const populate = (withText: boolean) => ({
  // Published rows link to published rows; the filter makes sure a draft claim never shows.
  products: { select: ['name'] },
  regions: { select: ['name'] },
  personas: { select: ['name'] },
  claims: { select: ['documentId', 'statement', 'standing', 'nowTrue'], where: { publishedAt: { $notNull: true } } },
  files: { select: ['id', 'name', 'hash', 'ext', 'mime'] },
  ...(withText ? { cover: { select: ['url', 'formats'] } } : {}),
});

/**
 * Published collateral rows, by documentIds or as a page in id order (`afterId`, `limit`). Relations
 * are fetched in one query each per page, never per row.
 */
export async function loadPublished(
  strapi: Core.Strapi,
  opts: { documentIds?: string[]; afterId?: number; limit?: number; withText: boolean }
): Promise<CollateralRow[]> {
  const where: Record<string, unknown> = { publishedAt: { $notNull: true } };
  if (opts.documentIds) where.documentId = { $in: opts.documentIds };
  if (opts.afterId != null) where.id = { $gt: opts.afterId };
  const rows = (await strapi.db.query(COLLATERAL).findMany({
    where,
    select: opts.withText ? [...TRUTH_FIELDS, 'summary', 'body'] : TRUTH_FIELDS,
    populate: populate(opts.withText),
    orderBy: { id: 'asc' },
    ...(opts.limit ? { limit: opts.limit } : {}),
  })) as CollateralRow[];
  await attachFileTexts(strapi, rows, opts.withText);
  return rows;
}

/**
 * Adds what the worker read from each row's files (cn_file_texts, one query per page of rows): the
 * passages, page by page, up to the configured characters per item (Meilisearch indexes the first
 * 65,535 words of an attribute; the cap keeps a document well inside that and its payload small), and
 * a hash of the files' content hashes, so that reconcile sees a file that was read since.
 */
async function attachFileTexts(strapi: Core.Strapi, rows: CollateralRow[], withText: boolean): Promise<void> {
  const ids = [...new Set(rows.flatMap((r) => (r.files ?? []).map((f) => f.id)))];
  const texts = new Map<number, { hash: string; status: string; kind: string | null; parts: ExtractedPart[] }>();
  if (ids.length) {
    const found = (await tableIn(strapi, null, TABLES.fileTexts)
      .whereIn('file_id', ids)
      .select(withText ? ['file_id', 'content_hash', 'status', 'kind', 'parts'] : ['file_id', 'content_hash', 'status'])) as { file_id: number | string; content_hash: string; status: string; kind?: string | null; parts?: string }[];
    for (const t of found) texts.set(Number(t.file_id), { hash: t.content_hash, status: t.status, kind: t.kind ?? null, parts: withText ? (parseJson<ExtractedPart[]>(t.parts) ?? []) : [] });
  }
  const budget = pluginConfig(strapi).files.indexChars;
  for (const row of rows) {
    const files = [...(row.files ?? [])].sort((a, b) => a.id - b.id);
    const rev = files.map((f) => `${f.id}:${texts.get(f.id)?.hash ?? '-'}`).join(',');
    const passages: SearchPassage[] = [];
    let left = budget;
    for (const f of files) {
      const t = texts.get(f.id);
      if (!withText || !t || t.status !== 'ok') continue;
      for (const p of t.parts) {
        if (left <= 0) break;
        const text = p.text.slice(0, left);
        left -= text.length;
        if (text.trim()) passages.push({ file: `${f.hash}${f.ext ?? ''}`, fileName: f.name, label: p.label, index: p.index, kind: t.kind ?? '', text });
      }
    }
    row.fileText = { rev, passages };
  }
}

/** The latest version number of each collateral (0 when it has none), in one grouped query. */
export async function latestVersions(strapi: Core.Strapi, documentIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!documentIds.length) return out;
  const rows = await tableIn(strapi, null, TABLES.versions)
    .where({ subject_uid: COLLATERAL })
    .whereIn('subject_document_id', documentIds)
    .groupBy('subject_document_id')
    .select('subject_document_id')
    .max({ n: 'number' });
  for (const r of rows as { subject_document_id: string; n: number | string }[]) out.set(r.subject_document_id, Number(r.n));
  return out;
}

const millis = (v: unknown): number | null => {
  if (v == null || v === '') return null;
  const n = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Date.parse(String(v));
  return Number.isFinite(n) ? n : null;
};
const names = (list: { name: string }[] | null | undefined) => (list ?? []).map((x) => x.name).sort((a, b) => a.localeCompare(b));
const claimsOf = (row: CollateralRow): SearchClaim[] =>
  (row.claims ?? [])
    .map((c) => ({ documentId: c.documentId, statement: c.statement, standing: c.standing, nowTrue: c.nowTrue ?? null }))
    .sort((a, b) => a.documentId.localeCompare(b.documentId));

/**
 * A short hash of everything in a search document that can change without a new version: the
 * claims' wording and standing, the review flags and the names of products, regions and personas.
 * With the version it identifies the document's content, so reconcile compares two strings per item.
 */
export function revisionOf(row: CollateralRow, version: number): string {
  const basis = [
    version,
    row.standing,
    Boolean(row.needsReview),
    row.reviewNote ?? null,
    Boolean(row.stale),
    claimsOf(row).map((c) => [c.documentId, c.statement, c.standing, c.nowTrue]),
    names(row.products),
    names(row.regions),
    names(row.personas),
    row.fileText?.rev ?? '',
  ];
  return crypto.createHash('sha256').update(JSON.stringify(basis)).digest('base64url').slice(0, 16);
}

/** Markdown to plain text for matching and cropping: link and image text stay, syntax goes. */
export function markdownToText(md: string | null | undefined): string {
  if (!md) return '';
  return md
    .replace(/```[^\n]*\n?/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/^\s{0,3}([-*_]\s*){3,}$/gm, ' ')
    .replace(/^\s{0,3}(#{1,6}|>+|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/\*\*|~~|[*`]/g, '')
    .replace(/(^|[^\p{L}\p{N}])_+|_+(?=[^\p{L}\p{N}]|$)/gu, '$1')
    .replace(/\|/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

function coverUrlOf(cover: CollateralRow['cover']): string | null {
  if (!cover) return null;
  const formats = typeof cover.formats === 'string' ? (JSON.parse(cover.formats) as Record<string, { url?: string }>) : cover.formats;
  return formats?.small?.url ?? formats?.thumbnail?.url ?? cover.url ?? null;
}

/** The search document of a published, non-retracted row loaded with text. */
export function toSearchDocument(row: CollateralRow, version: number): SearchDocument {
  if (row.standing === 'retracted') throw new Error(`toSearchDocument: ${row.documentId} is retracted and never indexed`);
  return {
    id: row.documentId,
    slug: row.slug,
    title: row.title,
    kind: row.kind,
    kindLabel: COLLATERAL_KIND_LABELS[row.kind as keyof typeof COLLATERAL_KIND_LABELS] ?? row.kind,
    summary: row.summary ?? '',
    body: markdownToText(row.body),
    stage: row.funnelStage ?? null,
    products: names(row.products),
    regions: names(row.regions),
    personas: names(row.personas),
    claims: claimsOf(row),
    standing: row.standing,
    standingReason: row.standingReason ?? null,
    nowTrue: row.nowTrue ?? null,
    needsReview: Boolean(row.needsReview),
    reviewNote: row.reviewNote ?? null,
    stale: Boolean(row.stale),
    coverUrl: coverUrlOf(row.cover),
    files: row.fileText?.passages ?? [],
    version,
    publishedAt: millis(row.publishedAt) ?? 0,
    updatedAt: millis(row.updatedAt) ?? millis(row.publishedAt) ?? 0,
    standingChangedAt: millis(row.standingChangedAt),
    rev: revisionOf(row, version),
  };
}

/**
 * The wanted state of the given collateral: the document to upsert for each current one, a null
 * rev for each that must be gone (retracted, unpublished, deleted, unknown).
 */
export async function loadWanted(
  strapi: Core.Strapi,
  documentIds: string[],
  withText: true
): Promise<{ docs: SearchDocument[]; absent: string[] }>;
export async function loadWanted(strapi: Core.Strapi, documentIds: string[], withText: false): Promise<Map<string, string | null>>;
export async function loadWanted(strapi: Core.Strapi, documentIds: string[], withText: boolean) {
  const rows = await loadPublished(strapi, { documentIds, withText });
  const versions = await latestVersions(strapi, documentIds);
  const present = new Map(rows.filter((r) => r.standing !== 'retracted').map((r) => [r.documentId, r]));
  if (!withText) return new Map(documentIds.map((id) => [id, present.has(id) ? revisionOf(present.get(id)!, versions.get(id) ?? 0) : null]));
  return {
    docs: [...present.values()].map((r) => toSearchDocument(r, versions.get(r.documentId) ?? 0)),
    absent: documentIds.filter((id) => !present.has(id)),
  };
}
