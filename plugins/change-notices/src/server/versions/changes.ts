import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { STANDING_LABELS, type SubjectUid } from '../../shared/contracts';
import type { Actor } from '../common/actor';
import { EVENTS } from '../constants';
import { outboxJob } from '../outbox';
import { getService } from '../services';
import { SUBJECTS } from '../subjects';
import type { RecordedVersion } from './versions';

const COLLATERAL = SUBJECTS.collateral.uid;

/**
 * What follows a recorded version, in the same transaction: outbox rows for search and notices, and
 * for a claim whose standing changed, the review flag on every published collateral that makes it.
 * Domain events go out on the event hub only after commit.
 */
export const createChangesService = ({ strapi }: { strapi: Core.Strapi }) => ({
  async afterVersion(
    trx: Knex.Transaction,
    input: { uid: SubjectUid; documentId: string; version: RecordedVersion; actor: Actor; onCommit: (cb: () => void) => void }
  ) {
    const { uid, documentId, version, actor } = input;
    if (!version.created) return;
    const outbox = getService(strapi, 'outbox');
    // Scaled back or retracted, and the truth moved (a new standing, reason or "true now"): act now.
    const urgency = version.truthChanged && version.standing !== 'confirmed' ? 'action_required' : 'fyi';
    // A claim whose standing changed flags the collateral that makes it; the claim's notice reaches
    // their reps, and their search documents show the flag.
    const flagged = uid === SUBJECTS.claim.uid && version.truthChanged ? await this.flagCollateralForClaim(documentId, version) : [];
    await outbox.enqueue(trx, [
      outboxJob('notice.version', { uid, documentId, version: version.number, urgency, actor, flagged }),
      ...(uid === COLLATERAL ? [outboxJob('search.sync', { documentId, cause: { kind: 'version', number: version.number } })] : []),
      ...flagged.map((id) => outboxJob('search.sync', { documentId: id, cause: { kind: 'claim', claimDocumentId: documentId, number: version.number } })),
      // Buyers' links stop serving at once (they read the standing live); their reps hear whom to tell.
      ...(uid === COLLATERAL && version.standingChanged && version.standing === 'retracted' ? [outboxJob('shares.retracted', { documentId, version: version.number })] : []),
    ]);
    input.onCommit(() => {
      strapi.eventHub.emit(EVENTS.versionRecorded, { uid, documentId, number: version.number, changes: version.changes.map((c) => c.field) });
      if (version.standingChanged) {
        strapi.eventHub.emit(EVENTS.standingChanged, { uid, documentId, number: version.number, standing: version.standing });
      }
      if (flagged.length) strapi.eventHub.emit(EVENTS.claimPropagated, { claimDocumentId: documentId, collateral: flagged });
      // Urgent news should not wait for the next poll.
      getService(strapi, 'dispatcher').kick();
    });
  },

  /** Marks every published collateral that makes the claim as needing review, with the claim's new truth. */
  async flagCollateralForClaim(claimDocumentId: string, version: RecordedVersion): Promise<string[]> {
    const affected = await strapi.documents(COLLATERAL).findMany({
      status: 'published',
      filters: { claims: { documentId: claimDocumentId } },
      fields: ['documentId'],
      limit: 10_000,
    });
    const snap = version.snapshot;
    const label = STANDING_LABELS[version.standing].toLowerCase();
    const note =
      `Claim “${String(snap.statement)}” was ${label === 'confirmed' ? 'reconfirmed' : label}` +
      (snap.nowTrue ? `. Now true: ${String(snap.nowTrue)}` : '') +
      (snap.standingReason ? ` (reason: ${String(snap.standingReason)})` : '');
    const ids = affected.map((c) => c.documentId);
    if (ids.length) {
      // Plain row updates: the flag must not publish anyone's pending draft edits.
      await strapi.db.query(COLLATERAL).updateMany({ where: { documentId: { $in: ids } }, data: { needsReview: true, reviewNote: note } });
    }
    return ids;
  },
});

export type ChangesService = ReturnType<typeof createChangesService>;
