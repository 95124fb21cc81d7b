import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Knex } from 'knex';
import type { FieldChange, RecentVersion, Standing, SubjectUid, VersionCause, VersionView } from '../../shared/contracts';
import { TABLES, parseJson, tableIn, toMillis } from '../database/tables';
import { diffSnapshots, populateFor, snapshotToDraftData, summarizeChanges, takeSnapshot, type Snapshot } from './snapshot';
import type { Actor } from '../common/actor';
import { SUBJECTS } from '../subjects';

interface VersionRow {
  id: number;
  subject_uid: string;
  subject_document_id: string;
  number: number;
  cause: VersionCause;
  title: string;
  summary: string;
  note: string | null;
  standing: Standing;
  standing_reason: string | null;
  now_true: string | null;
  snapshot: string;
  changes: string;
  author_kind: Actor['kind'];
  author_id: number | null;
  author_name: string;
  created_at: number | string;
  customer_safe?: boolean | number | null;
}

export interface RecordedVersion {
  number: number;
  /** False when the published state equals the latest version (a repeated event): nothing was written. */
  created: boolean;
  changes: FieldChange[];
  standingChanged: boolean;
  /**
   * The truth moved: the standing, its reason or what is true now changed. A corrected "true now"
   * matters to sales as much as the scale-back itself.
   */
  truthChanged: boolean;
  /** The standing this version records. */
  standing: Standing;
  snapshot: Snapshot;
  previous: Snapshot | null;
}

/** The fields that say what is true about a subject. */
export const TRUTH_FIELDS = new Set(['standing', 'standingReason', 'nowTrue']);

const titleOf = (uid: SubjectUid, snap: Snapshot) => String(snap[SUBJECTS.byUid(uid).titleField] ?? '');

export function toView(row: VersionRow, withSnapshot = false): VersionView {
  return {
    number: row.number,
    cause: row.cause,
    title: row.title,
    summary: row.summary,
    note: row.note,
    standing: row.standing,
    standingReason: row.standing_reason,
    nowTrue: row.now_true,
    changes: parseJson<FieldChange[]>(row.changes),
    author: { name: row.author_name, kind: row.author_kind },
    createdAt: new Date(toMillis(row.created_at)).toISOString(),
    customerSafe: Boolean(row.customer_safe),
    ...(withSnapshot ? { snapshot: parseJson<Snapshot>(row.snapshot) } : {}),
  };
}

export const createVersionsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const versions = (trx?: Knex.Transaction | null) => tableIn(strapi, trx, TABLES.versions);
  const latestRow = (trx: Knex.Transaction | null, uid: SubjectUid, documentId: string): Promise<VersionRow | undefined> =>
    versions(trx).where({ subject_uid: uid, subject_document_id: documentId }).orderBy('number', 'desc').first();

  return {
    /** The published document with everything a snapshot needs, or null when nothing is published. */
    async loadPublished(uid: SubjectUid, documentId: string, status: 'published' | 'draft' = 'published') {
      return strapi.documents(uid).findOne({ documentId, status, populate: populateFor(uid) as never });
    },

    /**
     * Records the current published state of a document as a new version, unless it equals the
     * latest version: a repeated middleware event, or a republish without changes, writes nothing.
     * Runs in the caller's transaction.
     */
    async record(
      trx: Knex.Transaction | null,
      input: {
        uid: SubjectUid;
        documentId: string;
        cause: VersionCause;
        actor: Actor;
        note?: string | null;
        /** An event worth its own line in the history even when no field changed (a merge). */
        force?: boolean;
        /** Snapshot the draft instead: an imported item's past versions, recorded before anyone publishes it. */
        draft?: boolean;
        /** When it happened, if not now: an imported file's last modification in its old library. */
        at?: number;
      }
    ): Promise<RecordedVersion | null> {
      const doc = await this.loadPublished(input.uid, input.documentId, input.draft ? 'draft' : 'published');
      if (!doc) return null;
      const snapshot = takeSnapshot(input.uid, doc as Record<string, unknown>);
      const latest = await latestRow(trx, input.uid, input.documentId);
      const previous = latest ? parseJson<Snapshot>(latest.snapshot) : null;
      const changes = diffSnapshots(input.uid, previous, snapshot);
      // A first version has no "before": its standing is where it starts, not a change.
      const standingChanged = latest != null && changes.some((c) => c.field === 'standing');
      // The first publish after imported history is news even when it publishes the imported content
      // unchanged: without its version there would be no notice and no search sync.
      const firstPublishAfterImport = latest?.cause === 'import' && input.cause !== 'import';
      if (latest && changes.length === 0 && !input.force && !firstPublishAfterImport) {
        return { number: latest.number, created: false, changes: [], standingChanged: false, truthChanged: false, standing: snapshot.standing as Standing, snapshot, previous };
      }
      const number = (latest?.number ?? 0) + 1;
      const inserted = await versions(trx)
        .insert({
          subject_uid: input.uid,
          subject_document_id: input.documentId,
          number,
          cause: input.cause,
          title: titleOf(input.uid, snapshot),
          summary:
            (input.force && changes.length === 0 && input.note) || (input.cause === 'import' && input.note)
              ? input.note
              : firstPublishAfterImport && changes.length === 0
                ? 'First published in Candor, as imported.'
                : summarizeChanges(changes, { first: !latest }),
          note: input.note ?? null,
          standing: snapshot.standing,
          standing_reason: snapshot.standingReason ?? null,
          now_true: snapshot.nowTrue ?? null,
          snapshot: JSON.stringify(snapshot),
          changes: JSON.stringify(changes),
          author_kind: input.actor.kind,
          author_id: input.actor.id,
          author_name: input.actor.name,
          created_at: input.at ?? Date.now(),
        })
        .onConflict(['subject_uid', 'subject_document_id', 'number'])
        .ignore()
        .returning('id');
      // A concurrent duplicate of this very event won the race: its version stands, ours is a no-op.
      const created = Array.isArray(inserted) && inserted.length > 0;
      return { number, created, changes, standingChanged: created && standingChanged, truthChanged: created && latest != null && changes.some((c) => TRUTH_FIELDS.has(c.field)), standing: snapshot.standing as Standing, snapshot, previous };
    },

    async list(uid: SubjectUid, documentId: string): Promise<VersionView[]> {
      const rows: VersionRow[] = await versions().where({ subject_uid: uid, subject_document_id: documentId }).orderBy('number', 'desc');
      return rows.map((r) => toView(r));
    },

    async get(uid: SubjectUid, documentId: string, number: number): Promise<VersionView | null> {
      const row: VersionRow | undefined = await versions().where({ subject_uid: uid, subject_document_id: documentId, number }).first();
      return row ? toView(row, true) : null;
    },

    /**
     * What happened to collateral lately, newest first: first versions are "new", later ones are
     * "changed" (one entry per item, its latest version). Retracted items appear as changes only.
     */
    async recent(days: number, limit: number): Promise<{ created: RecentVersion[]; changed: RecentVersion[] }> {
      const since = Date.now() - days * 86_400_000;
      const rows: VersionRow[] = await versions()
        .where({ subject_uid: SUBJECTS.collateral.uid })
        .andWhere('created_at', '>=', since)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(2000);
      // "New" is the item's first version in Candor: imported history before it does not count.
      const firstOwn = new Map<string, number>();
      const ids = [...new Set(rows.map((r) => r.subject_document_id))];
      for (let i = 0; i < ids.length; i += 500) {
        const firsts = (await versions()
          .where({ subject_uid: SUBJECTS.collateral.uid })
          .whereIn('subject_document_id', ids.slice(i, i + 500))
          .whereNot({ cause: 'import' })
          .groupBy('subject_document_id')
          .select('subject_document_id')
          .min({ first: 'number' })) as { subject_document_id: string; first: number | string }[];
        for (const f of firsts) firstOwn.set(f.subject_document_id, Number(f.first));
      }
      const seen = new Set<string>();
      const created: RecentVersion[] = [];
      const changed: RecentVersion[] = [];
      for (const row of rows) {
        if (seen.has(row.subject_document_id) || row.cause === 'import') continue;
        seen.add(row.subject_document_id);
        const snap = parseJson<Snapshot>(row.snapshot);
        const item: RecentVersion = {
          documentId: row.subject_document_id,
          title: row.title,
          slug: String(snap.slug ?? ''),
          kind: String(snap.kind ?? ''),
          number: row.number,
          summary: row.summary,
          standing: row.standing,
          standingReason: row.standing_reason,
          nowTrue: row.now_true,
          createdAt: new Date(toMillis(row.created_at)).toISOString(),
        };
        // New: first published within the window (even if changed since).
        const isNew = rows.some((r) => r.subject_document_id === row.subject_document_id && r.number === firstOwn.get(row.subject_document_id));
        if (isNew && row.standing !== 'retracted') created.push(item);
        else changed.push(item);
      }
      return { created: created.slice(0, limit), changed: changed.slice(0, limit) };
    },

    /** Marketing marks a collateral version fit (or not) for buyers; a scaled-back item's links serve the newest such. */
    async setCustomerSafe(documentId: string, number: number, customerSafe: boolean): Promise<VersionView> {
      const where = { subject_uid: SUBJECTS.collateral.uid, subject_document_id: documentId, number };
      const changed = await versions().where(where).update({ customer_safe: customerSafe });
      if (!changed) throw new errors.NotFoundError(`Version ${number} of this collateral does not exist.`);
      return toView((await versions().where(where).first()) as VersionRow);
    },

    /** The newest collateral version marketing marked customer-safe, with its snapshot, or null. */
    async latestCustomerSafe(documentId: string): Promise<(VersionView & { snapshot: Snapshot }) | null> {
      const row: VersionRow | undefined = await versions().where({ subject_uid: SUBJECTS.collateral.uid, subject_document_id: documentId, customer_safe: true }).orderBy('number', 'desc').first();
      return row ? (toView(row, true) as VersionView & { snapshot: Snapshot }) : null;
    },

    async latestNumber(uid: SubjectUid, documentId: string): Promise<number> {
      return (await latestRow(null, uid, documentId))?.number ?? 0;
    },

    /**
     * Puts an old version's content into the current draft. History is never rewritten: the restore
     * becomes a new version only when the marketer publishes the draft.
     */
    async restore(uid: SubjectUid, documentId: string, number: number) {
      const row: VersionRow | undefined = await versions().where({ subject_uid: uid, subject_document_id: documentId, number }).first();
      if (!row) throw new errors.NotFoundError(`Version ${number} of this ${SUBJECTS.byUid(uid).noun} does not exist.`);
      const data = snapshotToDraftData(uid, parseJson<Snapshot>(row.snapshot));
      return strapi.documents(uid).update({ documentId, data: data as never, status: 'draft' } as never);
    },
  };
};

export type VersionsService = ReturnType<typeof createVersionsService>;
