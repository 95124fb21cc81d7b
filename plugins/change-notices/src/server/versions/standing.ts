import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { StandingChange, StandingResult, SubjectUid } from '../../shared/contracts';
import type { Actor } from '../common/actor';
import { getService } from '../services';
import { SUBJECTS } from '../subjects';

const COLLATERAL = SUBJECTS.collateral.uid;
const kindName = (uid: SubjectUid) => SUBJECTS.byUid(uid).noun;

/** The standing fields of a published subject, as the standing change compares them. */
interface CurrentStanding {
  standing?: string;
  standingReason?: string | null;
  nowTrue?: string | null;
  needsReview?: boolean | null;
  replacedBy?: { documentId: string } | null;
  publicNote?: string | null;
}

export const createStandingService = ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * Scales back, retracts or reconfirms a published collateral or claim. One transaction writes the
   * standing on the draft and published rows (pending draft edits stay unpublished), records a
   * version with the reason and note, and enqueues the notices and search updates.
   */
  async change(uid: SubjectUid, documentId: string, change: StandingChange, actor: Actor): Promise<StandingResult> {
    const versions = getService(strapi, 'versions');
    const current = await strapi.documents(uid).findOne({ documentId, status: 'published', populate: uid === COLLATERAL ? { replacedBy: { fields: ['documentId'] } } : undefined } as never);
    if (!current) throw new errors.NotFoundError(`No published ${kindName(uid)} has the id ${documentId}.`);

    const replacement = change.standing === 'retracted' ? change.replacement : undefined;
    let replacementRows: { id: number; publishedAt: unknown }[] = [];
    if (replacement) {
      if (uid !== COLLATERAL) {
        throw new errors.ValidationError('replacement: only collateral can name a replacement', { errors: [{ path: ['replacement'], message: 'only collateral can name a replacement', name: 'ValidationError' }] });
      }
      if (replacement === documentId) {
        throw new errors.ValidationError('replacement: a collateral cannot replace itself', { errors: [{ path: ['replacement'], message: 'a collateral cannot replace itself', name: 'ValidationError' }] });
      }
      const target = await strapi.documents(COLLATERAL).findOne({ documentId: replacement, status: 'published', fields: ['standing'] as never });
      if (!target || (target as { standing?: string }).standing === 'retracted') {
        throw new errors.ValidationError('replacement: must be a published, non-retracted collateral', {
          errors: [{ path: ['replacement'], message: 'must be a published, non-retracted collateral', name: 'ValidationError' }],
        });
      }
      replacementRows = await strapi.db.query(COLLATERAL).findMany({ where: { documentId: replacement }, select: ['id', 'publishedAt'] });
    }

    const cur = current as CurrentStanding;
    const nowTrue = change.standing === 'scaled_back' ? change.nowTrue : null;
    // Buyers' links read this instead of the item; reconfirming clears it.
    const publicNote = uid === COLLATERAL && change.standing !== 'confirmed' ? (change.publicNote || null) : null;
    const same =
      cur.standing === change.standing &&
      (cur.standingReason ?? null) === change.reason &&
      (cur.nowTrue ?? null) === nowTrue &&
      (cur.replacedBy?.documentId ?? undefined) === replacement &&
      (uid !== COLLATERAL || (cur.publicNote ?? null) === publicNote);
    // Reconfirming flagged collateral is the review itself: it must clear the flag even when the
    // reason repeats the one on record.
    const clearsReview = uid === COLLATERAL && change.standing === 'confirmed' && Boolean(cur.needsReview);
    if (same && !clearsReview) {
      return { documentId, standing: change.standing, version: await versions.latestNumber(uid, documentId), changed: false, flaggedCollateral: 0 };
    }

    return strapi.db.transaction(async ({ trx, onCommit }) => {
      const data: Record<string, unknown> = {
        standing: change.standing,
        standingReason: change.reason,
        nowTrue,
        standingChangedAt: new Date(),
        ...(uid === COLLATERAL ? { publicNote } : {}),
      };
      // Reconfirming collateral is the marketer's review: it clears the review flag.
      if (uid === COLLATERAL && change.standing === 'confirmed') Object.assign(data, { needsReview: false, reviewNote: null });
      await strapi.db.query(uid).updateMany({ where: { documentId }, data });
      if (uid === COLLATERAL) {
        const rows: { id: number; publishedAt: unknown }[] = await strapi.db.query(COLLATERAL).findMany({ where: { documentId }, select: ['id', 'publishedAt'] });
        for (const row of rows) {
          // Drafts point at drafts and published rows at published rows, as Strapi keeps relations.
          const target = replacementRows.find((r) => Boolean(r.publishedAt) === Boolean(row.publishedAt));
          await strapi.db.query(COLLATERAL).update({ where: { id: row.id }, data: { replacedBy: target ? target.id : null } });
        }
      }
      const version = await versions.record(trx, { uid, documentId, cause: 'standing', actor, note: change.note ?? null });
      if (!version) throw new errors.NotFoundError(`No published ${kindName(uid)} has the id ${documentId}.`);
      await getService(strapi, 'changes').afterVersion(trx, { uid, documentId, version, actor, onCommit });
      const flagged = uid === SUBJECTS.claim.uid && version.created
        ? (await strapi.documents(COLLATERAL).count({ status: 'published', filters: { claims: { documentId } } as never }))
        : 0;
      return { documentId, standing: change.standing, version: version.number, changed: version.created, flaggedCollateral: flagged };
    });
  },
});

export type StandingService = ReturnType<typeof createStandingService>;
