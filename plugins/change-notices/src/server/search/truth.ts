import type { Core } from '@strapi/strapi';
import { SUBJECT_KINDS, type Standing, type TruthItem } from '../../shared/contracts';
import { latestVersions } from './document';

interface TruthRow {
  documentId: string;
  slug: string;
  title: string;
  standing: Standing;
  standingReason: string | null;
  nowTrue: string | null;
  standingChangedAt: unknown;
  needsReview: boolean | null;
  reviewNote: string | null;
  stale: boolean | null;
  replacedBy: { documentId: string; slug: string; title: string } | null;
}

const iso = (v: unknown): string | null => {
  if (v == null || v === '') return null;
  const d = v instanceof Date ? v : new Date(typeof v === 'number' ? v : String(v));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
};

/**
 * The current truth of up to 100 collateral, straight from the database: the published rows with
 * their replacement in one query, the latest version numbers in one grouped query. The index may lag
 * by seconds; this never does, so the portal checks every hit against it before showing it.
 */
export async function loadTruth(strapi: Core.Strapi, ids: string[]): Promise<Record<string, TruthItem>> {
  const rows = (await strapi.db.query(SUBJECT_KINDS.collateral).findMany({
    where: { documentId: { $in: ids }, publishedAt: { $notNull: true } },
    select: ['documentId', 'slug', 'title', 'standing', 'standingReason', 'nowTrue', 'standingChangedAt', 'needsReview', 'reviewNote', 'stale'],
    populate: { replacedBy: { select: ['documentId', 'slug', 'title'] } },
  })) as TruthRow[];
  const versions = await latestVersions(strapi, ids);
  const byId = new Map(rows.map((r) => [r.documentId, r]));
  const out: Record<string, TruthItem> = {};
  for (const id of ids) {
    const r = byId.get(id);
    out[id] = r
      ? {
          documentId: id,
          published: true,
          slug: r.slug,
          title: r.title,
          standing: r.standing,
          standingReason: r.standingReason ?? null,
          nowTrue: r.nowTrue ?? null,
          standingChangedAt: iso(r.standingChangedAt),
          version: versions.get(id) ?? 0,
          needsReview: Boolean(r.needsReview),
          reviewNote: r.reviewNote ?? null,
          stale: Boolean(r.stale),
          replacedBy: r.replacedBy ? { documentId: r.replacedBy.documentId, slug: r.replacedBy.slug, title: r.replacedBy.title } : null,
        }
      : { documentId: id, published: false };
  }
  return out;
}
