import type { Core, Modules } from '@strapi/strapi';
import { z } from 'zod';
import { STANDINGS } from '../../shared/contracts';
import { currentActor } from '../common/actor';
import { parseOrThrow } from '../common/validation';
import { outboxJob } from '../outbox';
import { getService } from '../services';
import { SUBJECTS } from '../subjects';

export const WATCHED_UIDS: readonly string[] = SUBJECTS.all.map((s) => s.uid);

const text = (field: string, what: string) =>
  z.string({ error: `${field} is required: ${what}` }).trim().min(5, { error: `${field} must be at least 5 characters: ${what}` });

/**
 * The standing fields as the edit form or REST send them. Only the standing decides what else is
 * required; other fields may be absent from a partial update.
 */
const standingFields = z
  .object({
    standing: z.enum(STANDINGS, { error: `standing must be one of: ${STANDINGS.join(', ')}` }),
    standingReason: z.string().nullish(),
    nowTrue: z.string().nullish(),
  })
  .superRefine((data, ctx) => {
    if (data.standing === 'confirmed') return;
    const reason = text('standingReason', 'say why the standing changed').safeParse(data.standingReason);
    if (!reason.success) ctx.addIssue({ code: 'custom', path: ['standingReason'], message: reason.error.issues[0]!.message });
    if (data.standing === 'scaled_back') {
      const now = text('nowTrue', 'say what is true now').safeParse(data.nowTrue);
      if (!now.success) ctx.addIssue({ code: 'custom', path: ['nowTrue'], message: now.error.issues[0]!.message });
    }
  });

/**
 * The v5 hook for publishes: the admin's Publish fires `publish`; REST never does, and sends a
 * published create/update as `create`/`update` with `status: 'published'`. The version, the outbox
 * rows and the publish share one transaction, so a failure leaves none of them. Events can fire twice:
 * recording is idempotent (an unchanged published state writes nothing).
 */
export function createDocumentEventsMiddleware({ strapi }: { strapi: Core.Strapi }): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    const uid = context.uid;
    if (!SUBJECTS.isSubject(uid)) return next();
    const { action } = context;
    const params = (context.params ?? {}) as { documentId?: string; status?: string; data?: Record<string, unknown> };

    if ((action === 'create' || action === 'update') && params.data && 'standing' in params.data) {
      parseOrThrow(standingFields, params.data, 'The standing');
    }
    const publishing = action === 'publish' || ((action === 'create' || action === 'update') && params.status === 'published');
    const removing = uid === SUBJECTS.collateral.uid && (action === 'unpublish' || action === 'delete');
    if (!publishing && !removing) return next();

    return strapi.db.transaction(async ({ trx, onCommit }) => {
      const result = await next();
      const out = result as { documentId?: string; entries?: { documentId: string }[] } | null;
      const documentId = params.documentId ?? out?.documentId ?? out?.entries?.[0]?.documentId;
      if (!documentId) return result;
      if (publishing) {
        const actor = currentActor(strapi);
        const version = await getService(strapi, 'versions').record(trx, { uid, documentId, cause: 'publish', actor });
        if (version) await getService(strapi, 'changes').afterVersion(trx, { uid, documentId, version, actor, onCommit });
      } else {
        await getService(strapi, 'outbox').enqueue(trx, [outboxJob('search.sync', { documentId, cause: { kind: 'removed', action, at: Date.now() } })]);
      }
      return result;
    });
  };
}
