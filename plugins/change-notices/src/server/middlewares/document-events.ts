import type { Core, Modules } from '@strapi/strapi';
import { SUBJECT_KINDS } from '../../shared/contracts';

export const WATCHED_UIDS: readonly string[] = Object.values(SUBJECT_KINDS);

/**
 * The v5 hook for publishes: the admin's Publish fires `publish`; REST never does, and sends a
 * published create/update as `create`/`update` with `status: 'published'`. Side effects run after
 * `next()` succeeded and must be idempotent (the same event can fire twice).
 */
export function createDocumentEventsMiddleware({ strapi }: { strapi: Core.Strapi }): Modules.Documents.Middleware.Middleware {
  return async (context, next) => {
    if (!WATCHED_UIDS.includes(context.uid)) return next();
    const result = await next();
    strapi.log.debug(`[change-notices] ${context.action} ${context.uid}`);
    return result;
  };
}
